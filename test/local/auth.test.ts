import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_TOLERANCE_SECONDS, type Claims, requireRole, verifyToken } from '../../functions/lib/auth.js';
import { problemFor } from '../../functions/lib/problem.js';
import { DEV_AUDIENCE, DEV_ISSUER, loadDevKey, mintDevToken } from '../../local/dev-token.js';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors.js';

const lead: Claims = { sub: 'alice', roles: ['lead'], campaigns: ['wertschaetzung-handwerk-recklinghausen'] };
const expected = { issuer: DEV_ISSUER, audience: DEV_AUDIENCE };

describe('auth', () => {
  let key: Uint8Array;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'resonanz-auth-'));
    key = await loadDevKey(dataDir);
  });

  describe('dev key', () => {
    it('is made once, kept private and read back unchanged', async () => {
      const again = await loadDevKey(dataDir);
      const file = join(dataDir, 'dev-key');

      expect(key).toHaveLength(32);
      expect(again).toEqual(key);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url')).toEqual(Buffer.from(key));
    });
  });

  describe('verifyToken', () => {
    it('returns the claims of a token it minted', async () => {
      const token = await mintDevToken(lead, key, { ttl: '8h' });

      await expect(verifyToken(token, key, expected)).resolves.toEqual(lead);
    });

    it('rejects an expired token', async () => {
      const token = await mintDevToken(lead, key, { ttl: '1h', now: new Date('2026-01-01T08:00:00Z') });

      await expect(
        verifyToken(token, key, { ...expected, currentDate: new Date('2026-01-01T09:01:00Z') }),
      ).rejects.toThrow(new UnauthorizedError('the token has expired'));
    });

    it('rejects a token that is not valid yet', async () => {
      const token = await mintDevToken(lead, key, { ttl: '1h', now: new Date('2026-01-01T08:00:00Z') });

      await expect(
        verifyToken(token, key, { ...expected, currentDate: new Date('2026-01-01T07:00:00Z') }),
      ).rejects.toBeInstanceOf(UnauthorizedError);
    });

    it(`accepts a token less than ${CLOCK_TOLERANCE_SECONDS} s after its expiry and refuses it then`, async () => {
      const token = await mintDevToken(lead, key, { ttl: '1h', now: new Date('2026-01-01T08:00:00Z') });
      const at = (seconds: number) => ({ ...expected, currentDate: new Date(Date.UTC(2026, 0, 1, 9, 0, seconds)) });

      // exp is the first moment the token is no longer valid (RFC 7519 4.1.4), so the bound is exclusive.
      await expect(verifyToken(token, key, at(CLOCK_TOLERANCE_SECONDS - 1))).resolves.toEqual(lead);
      await expect(verifyToken(token, key, at(CLOCK_TOLERANCE_SECONDS))).rejects.toThrow('the token has expired');
    });

    it(`accepts a token up to ${CLOCK_TOLERANCE_SECONDS} s before its nbf and refuses it a second earlier`, async () => {
      const token = await mintDevToken(lead, key, { ttl: '1h', now: new Date('2026-01-01T08:00:00Z') });
      const earlier = (seconds: number) => ({
        ...expected,
        currentDate: new Date(Date.UTC(2026, 0, 1, 8, 0, -seconds)),
      });

      await expect(verifyToken(token, key, earlier(CLOCK_TOLERANCE_SECONDS))).resolves.toEqual(lead);
      await expect(verifyToken(token, key, earlier(CLOCK_TOLERANCE_SECONDS + 1))).rejects.toThrow('"nbf" claim');
    });

    it('rejects a token without an issuer or an audience', async () => {
      const unsigned = (without: 'iss' | 'aud') => {
        const jwt = new SignJWT({ roles: ['admin'], campaigns: ['*'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('bob')
          .setExpirationTime('1h');
        return (without === 'iss' ? jwt.setAudience(DEV_AUDIENCE) : jwt.setIssuer(DEV_ISSUER)).sign(key);
      };

      await expect(verifyToken(await unsigned('iss'), key, expected)).rejects.toThrow('"iss" claim');
      await expect(verifyToken(await unsigned('aud'), key, expected)).rejects.toThrow('"aud" claim');
    });

    it('rejects HS384 and HS512 tokens signed with the dev key itself', async () => {
      for (const alg of ['HS384', 'HS512']) {
        const token = await new SignJWT({ roles: ['admin'], campaigns: ['*'] })
          .setProtectedHeader({ alg })
          .setSubject('bob')
          .setIssuer(DEV_ISSUER)
          .setAudience(DEV_AUDIENCE)
          .setExpirationTime('1h')
          .sign(key);

        await expect(verifyToken(token, key, expected), alg).rejects.toThrow('expected algorithm');
      }
    });

    it('rejects a token signed with another key', async () => {
      const other = await loadDevKey(await mkdtemp(join(tmpdir(), 'resonanz-auth-')));
      const token = await mintDevToken(lead, other, { ttl: '8h' });

      await expect(verifyToken(token, key, expected)).rejects.toThrow('the token signature is not valid');
    });

    it('rejects a wrong issuer or audience', async () => {
      const foreignIssuer = await mintDevToken(lead, key, { ttl: '8h', issuer: 'someone-else' });
      const foreignAudience = await mintDevToken(lead, key, { ttl: '8h', audience: 'another-api' });

      await expect(verifyToken(foreignIssuer, key, expected)).rejects.toThrow('"iss" claim');
      await expect(verifyToken(foreignAudience, key, expected)).rejects.toThrow('"aud" claim');
    });

    it('rejects an unsigned token (alg none)', async () => {
      const token = new UnsecuredJWT({ roles: ['admin'], campaigns: ['*'] })
        .setSubject('mallory')
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setExpirationTime('1h')
        .encode();

      await expect(verifyToken(token, key, expected)).rejects.toBeInstanceOf(UnauthorizedError);
    });

    it('rejects a token signed with another algorithm', async () => {
      const token = await new SignJWT({ roles: ['lead'], campaigns: ['*'] })
        .setProtectedHeader({ alg: 'HS512' })
        .setSubject('bob')
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setExpirationTime('1h')
        .sign(new Uint8Array(64).fill(7));

      await expect(verifyToken(token, key, expected)).rejects.toThrow('expected algorithm');
    });

    it('rejects a token without an expiry or with unknown roles', async () => {
      const forever = await new SignJWT({ roles: ['lead'], campaigns: ['*'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('bob')
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .sign(key);
      const boss = await new SignJWT({ roles: ['boss'], campaigns: ['*'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('bob')
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setExpirationTime('1h')
        .sign(key);

      await expect(verifyToken(forever, key, expected)).rejects.toThrow('"exp" claim');
      await expect(verifyToken(boss, key, expected)).rejects.toThrow('lacks valid roles or campaigns');
    });
  });

  describe('mintDevToken', () => {
    it('refuses a lifetime it cannot read', async () => {
      await expect(mintDevToken(lead, key, { ttl: '8 hours' })).rejects.toThrow('not a duration');
    });
  });

  describe('requireRole', () => {
    it('passes the right role for a campaign in scope', () => {
      expect(requireRole(lead, 'lead', 'wertschaetzung-handwerk-recklinghausen')).toBe(lead);
    });

    it('refuses another role', () => {
      expect(() => requireRole(lead, 'evaluator', 'wertschaetzung-handwerk-recklinghausen')).toThrow(ForbiddenError);
    });

    it('refuses a campaign outside the scope', () => {
      expect(() => requireRole(lead, 'lead', 'handwerk-kreis-unna')).toThrow(
        'the token does not grant the role "lead" for campaign "handwerk-kreis-unna"',
      );
    });

    it('passes any campaign for the "*" scope', () => {
      const admin: Claims = { sub: 'root', roles: ['admin'], campaigns: ['*'] };

      expect(requireRole(admin, 'admin', 'handwerk-kreis-unna')).toBe(admin);
      expect(() => requireRole(admin, 'lead', 'handwerk-kreis-unna')).toThrow(ForbiddenError);
    });
  });

  describe('as problems', () => {
    it('maps a missing or bad token to 401 with a Bearer challenge', () => {
      const { problem, headers } = problemFor(new UnauthorizedError('the token has expired'));

      expect(problem).toMatchObject({ status: 401, title: 'Authentication required', detail: 'the token has expired' });
      expect(headers).toEqual({ 'WWW-Authenticate': 'Bearer' });
    });

    it('maps a missing role or campaign to 403', () => {
      expect(problemFor(new ForbiddenError('lead', 'handwerk-kreis-unna')).problem).toMatchObject({ status: 403 });
    });
  });
});
