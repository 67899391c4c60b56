import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvitationTokenMalformedError } from '../../shared/errors.js';
import { newToken, parseToken, TOKEN_BYTES, tokenHash } from '../../shared/invitations/token.js';

describe('invitation token', () => {
  it('carries at least 128 random bits as 32 base64url characters', () => {
    // Act
    const tokens = Array.from({ length: 200 }, () => newToken(randomBytes));

    // Assess
    expect(TOKEN_BYTES * 8).toBeGreaterThanOrEqual(128);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
    // Every base64url character shows up somewhere: the bytes are used, not padded or truncated.
    expect(new Set(tokens.join('')).size).toBe(64);
  });

  it('encodes exactly the bytes it is given', () => {
    // Prepare
    const bytes = Uint8Array.from({ length: TOKEN_BYTES }, (_, i) => i * 7);

    // Act
    const token = newToken(() => bytes);

    // Assess
    expect(Buffer.from(token, 'base64url')).toEqual(Buffer.from(bytes));
  });

  it('refuses a random source that returns too few bytes', () => {
    expect(() => newToken(() => new Uint8Array(8))).toThrow(RangeError);
  });

  it('hashes to a stable value that is not the token and does not contain it', () => {
    // Prepare
    const token = newToken(randomBytes);

    // Act
    const hash = tokenHash(token);

    // Assess
    expect(hash).toBe(tokenHash(token));
    expect(hash).not.toBe(token);
    expect(hash).not.toContain(token);
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenHash(newToken(randomBytes))).not.toBe(hash);
  });

  it('accepts a well-formed token, trimming surrounding whitespace', () => {
    const token = newToken(randomBytes);
    expect(parseToken(token)).toBe(token);
    expect(parseToken(` ${token}\n`)).toBe(token);
  });

  it.each([
    ['empty', ''],
    ['too short', 'abc'],
    ['one character short', 'A'.repeat(31)],
    ['one character long', 'A'.repeat(33)],
    ['standard base64 characters', `${'A'.repeat(30)}+/`],
    ['padding', `${'A'.repeat(31)}=`],
    ['an inner space', `${'A'.repeat(16)} ${'A'.repeat(15)}`],
    ['a path', `../${'A'.repeat(29)}`],
  ])('rejects a malformed token (%s)', (_, raw) => {
    expect(() => parseToken(raw)).toThrow(InvitationTokenMalformedError);
  });
});
