import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import type { Claims } from '../functions/lib/auth.js';
import { PRIVATE_FILE, privateDir } from './private-files.js';

/** Issuer and audience of local dev tokens; the local auth check must expect the same. */
export const DEV_ISSUER = 'resonanz-local';
export const DEV_AUDIENCE = 'resonanz-api';

const KEY_FILE = 'dev-key';
const KEY_BYTES = 32;

/**
 * The local signing key: 32 random bytes made on first use and kept in `<dataDir>/dev-key`
 * (`.data/` is git-ignored), so tokens stay valid across restarts and no key is ever committed.
 * The folder is made (or tightened to) owner-only, the key file too.
 */
export async function loadDevKey(dataDir: string): Promise<Uint8Array> {
  privateDir(dataDir);
  const path = join(dataDir, KEY_FILE);
  const existing = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) {
    const key = Buffer.from(existing.trim(), 'base64url');
    if (key.length < KEY_BYTES) throw new Error(`${path} holds a key shorter than ${KEY_BYTES} bytes; delete it`);
    return new Uint8Array(key);
  }
  const key = randomBytes(KEY_BYTES);
  // `wx` fails if another process created the key a moment ago: then use theirs.
  try {
    await writeFile(path, `${key.toString('base64url')}\n`, { flag: 'wx', mode: PRIVATE_FILE });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadDevKey(dataDir);
    throw error;
  }
  await chmod(path, PRIVATE_FILE);
  return new Uint8Array(key);
}

export interface MintOptions {
  /** Lifetime such as "8h", "30m" or "2d". */
  ttl: string;
  issuer?: string;
  audience?: string;
  /** Issue time (tests); defaults to now. */
  now?: Date;
}

/** Signs a dev token (HS256) with the claims the app checks. */
export async function mintDevToken(claims: Claims, key: Uint8Array, options: MintOptions): Promise<string> {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ roles: claims.roles, campaigns: claims.campaigns })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(options.issuer ?? DEV_ISSUER)
    .setAudience(options.audience ?? DEV_AUDIENCE)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(expiresAt(iat, options.ttl))
    .sign(key);
}

const SPAN = /^(\d+)\s*(s|m|h|d)$/;
const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Seconds since the epoch when a token issued at `iat` with lifetime `ttl` expires. */
export function expiresAt(iat: number, ttl: string): number {
  const match = SPAN.exec(ttl.trim());
  const amount = Number(match?.[1]);
  const unit = SECONDS[match?.[2] ?? ''];
  if (!match || !unit || amount <= 0) throw new Error(`--ttl "${ttl}" is not a duration such as 30m, 8h or 2d`);
  return iat + amount * unit;
}
