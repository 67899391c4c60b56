import { createHash } from 'node:crypto';
import { InvitationTokenMalformedError } from '../errors.js';

/** 24 random bytes = 192 bits, well above the 128 the issue asks for; 32 base64url characters. */
export const TOKEN_BYTES = 24;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32}$/;

/** A source of cryptographically secure random bytes: `node:crypto` `randomBytes` at call sites. */
export type RandomBytes = (size: number) => Uint8Array;

/** A new plain invitation token. It is handed out once (mail merge) and never stored. */
export function newToken(randomBytes: RandomBytes): string {
  const bytes = randomBytes(TOKEN_BYTES);
  if (bytes.length !== TOKEN_BYTES) throw new RangeError(`expected ${TOKEN_BYTES} random bytes, got ${bytes.length}`);
  return Buffer.from(bytes).toString('base64url');
}

/**
 * The only form of a token that is stored. An unsalted SHA-256 is enough here: the token carries 192
 * random bits, so nobody can guess tokens to match hashes, and the hash stays a stable lookup key.
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The token of a link, checked for shape only; whether it exists is the store's question. */
export function parseToken(raw: string): string {
  const token = raw.trim();
  if (!TOKEN_SHAPE.test(token)) throw new InvitationTokenMalformedError();
  return token;
}
