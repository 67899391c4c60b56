import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as z from 'zod/mini';
import '../../../shared/zod-locale.js';
import type { Locked } from '../../../shared/survey/flow.js';

/**
 * The noBack lock as the browser remembers it. Hidden fields alone cannot enforce the lock: a page
 * reached with the browser's back button carries the hidden fields from before the lock. So once a
 * respondent moves past a `noBack` section, the locked answers also go into this cookie, and a
 * later post for the same submission cannot change them.
 *
 * It is functional and short-lived: scoped to the survey's form path, HttpOnly, SameSite=Strict,
 * never stored on the server, deleted when the form is submitted. It holds the submissionId (random,
 * per filled form) and the locked answers, which the page's hidden fields hold anyway.
 */
const COOKIE = 'rz_lock';
const MAX_AGE_SECONDS = 6 * 60 * 60;
/** Browsers keep cookies up to 4096 bytes; above this the lock rests on the hidden fields alone. */
const MAX_VALUE_BYTES = 3500;
const MAX_INFLATED_BYTES = 64 * 1024;

const Stored = z.object({
  s: z.string(),
  l: z.number().check(z.int(), z.gte(-1)),
  a: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])),
});

function options(c: Context, path: string) {
  return {
    path,
    httpOnly: true,
    sameSite: 'Strict',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: MAX_AGE_SECONDS,
  } as const;
}

/** The lock remembered for this submission, if any (a cookie of another submission is ignored). */
export function readLock(c: Context, submissionId: string | undefined): Locked | undefined {
  const value = getCookie(c, COOKIE);
  if (!value || !submissionId) return undefined;
  try {
    const json = inflateRawSync(Buffer.from(value, 'base64url'), { maxOutputLength: MAX_INFLATED_BYTES });
    const parsed = Stored.safeParse(JSON.parse(json.toString('utf8')));
    if (!parsed.success || parsed.data.s !== submissionId) return undefined;
    return { lock: parsed.data.l, answers: parsed.data.a };
  } catch {
    return undefined; // not ours or damaged: the hidden fields still carry the lock index
  }
}

export function writeLock(c: Context, path: string, submissionId: string, locked: Locked): void {
  const value = deflateRawSync(JSON.stringify({ s: submissionId, l: locked.lock, a: locked.answers })).toString(
    'base64url',
  );
  if (value.length > MAX_VALUE_BYTES) {
    deleteCookie(c, COOKIE, options(c, path));
    return;
  }
  setCookie(c, COOKIE, value, options(c, path));
}

export function clearLock(c: Context, path: string): void {
  if (getCookie(c, COOKIE) !== undefined) deleteCookie(c, COOKIE, options(c, path));
}
