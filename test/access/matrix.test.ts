import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../functions/lib/auth.js';
import { honoPath, ROUTES, type Route } from '../../functions/routes.js';
import { DEV_AUDIENCE, DEV_ISSUER, mintDevToken } from '../../local/dev-token.js';
import { createLocalApp } from '../../local/server.js';
import { publishDefinition, setWaveState } from '../../shared/data/survey-store.js';
import { miniAnswers, miniSurvey, miniSurveyInput } from '../fixtures/mini-survey.js';
import { localRuntime } from '../setup/local-runtime.js';
import { freshTable } from '../setup/table.js';

/**
 * Who may call what: the API table of docs/api.md as data. `any role` is any signed-in caller whatever its
 * campaigns (`/api/v1/reports/me`, and an unknown path behind the authorizer, which answers 404).
 */
type Who = 'public' | 'admin' | 'lead or admin' | 'evaluator' | 'any role';
interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  who: Who;
  /** A valid body, so that a wrong role meets the role check and not the validator. */
  body?: () => unknown;
}

const S = `/api/v1/surveys/${miniSurvey.id}`;
const TWIN = 'mini-twin';
const A = `/api/v1/admin/surveys/${miniSurvey.id}`;
const get = (path: string, who: Who): Endpoint => ({ method: 'GET', path, who });
const send = (method: Endpoint['method'], path: string, who: Who, body: () => unknown = () => ({})): Endpoint => ({
  method,
  path,
  who,
  body,
});

/** Every entry of functions/routes.ts (keyed by its path) with the requests that reach it. */
const MATRIX: Record<string, Endpoint[]> = {
  '/api/v1/admin/openapi.json': [get('/api/v1/admin/openapi.json', 'public')],
  '/api/v1/admin/{proxy+}': [
    get(`${A}/waves`, 'admin'),
    send('POST', `${A}/waves/w1/open`, 'admin'),
    send('POST', `${A}/waves/w1/close`, 'admin'),
    send('PUT', `${A}/waves/w1/schedule`, 'admin', () => ({ opensAt: '2027-03-01T00:00:00+01:00' })),
    get(`${A}/channels`, 'admin'),
    send('POST', `${A}/channels`, 'admin', () => ({
      code: `kanal-${randomUUID().slice(0, 8)}`,
      label: { de: 'Kanal', en: 'Channel' },
      kind: 'poster',
    })),
    send('POST', `${A}/channels/plakat-alpha/disable`, 'admin'),
    get(`${A}/channels/plakat-alpha/qr.svg`, 'admin'),
    get(`${A}/channels/plakat-alpha/qr.png?audience=public`, 'admin'),
    send('POST', `${A}/invitations`, 'admin', () => ({ audience: 'business', count: 1 })),
    get(`${A}/invitations`, 'admin'),
    send('POST', `${A}/invitations/no-such-batch/revoke`, 'admin'),
    get(`${A}/quotas`, 'admin'),
    send('PUT', `${A}/quotas/w0.public`, 'admin', () => ({ target: 100 })),
    send('DELETE', `${A}/quotas/w0.public`, 'admin'),
    get(`${A}/exports`, 'admin'),
    // A survey file (JSON is YAML) checked without publishing.
    send('POST', `${A}/definitions?dryRun=true`, 'admin', () => miniSurveyInput),
    get(`${A}/definitions/current`, 'admin'),
    get(`${A}/console/waves`, 'admin'),
    get(`${A}/console/definition`, 'admin'),
    get('/api/v1/admin/no-such-thing', 'any role'),
  ],
  '/api/v1/surveys/{surveyId}/fieldwork': [get(`${S}/fieldwork`, 'lead or admin')],
  '/api/v1/surveys/{surveyId}/impact': [get(`${S}/impact`, 'lead or admin')],
  // A second survey of the campaign (published below): a comparison takes two.
  '/api/v1/compare': [get(`/api/v1/compare?surveys=${miniSurvey.id},${TWIN}`, 'lead or admin')],
  '/api/v1/reports/openapi.json': [get('/api/v1/reports/openapi.json', 'public')],
  '/api/v1/reports/{proxy+}': [
    get('/api/v1/reports/me', 'any role'),
    get('/api/v1/reports/console', 'any role'),
    get('/api/v1/reports/console/compare', 'any role'),
    get('/api/v1/reports/no-such-thing', 'any role'),
  ],
  '/api/v1/openapi.json': [get('/api/v1/openapi.json', 'public')],
  '/api/v1/docs': [get('/api/v1/docs', 'public')],
  '/reports/{proxy+}': [
    get(`/reports/${miniSurvey.id}/fieldwork`, 'public'),
    get('/reports/signin?next=/reports/mini/fieldwork', 'public'),
    get('/reports/signin/callback', 'public'),
    get('/reports/assets/console.js', 'public'),
  ],
  '/dashboard/{proxy+}': [get(`/dashboard/${miniSurvey.id}`, 'public')],
  '/console': [get('/console', 'public')],
  '/console/{proxy+}': [get(`/console/${miniSurvey.id}/waves`, 'public'), get('/console/compare', 'public')],
  '/api/v1/exports/openapi.json': [get('/api/v1/exports/openapi.json', 'public')],
  '/api/v1/surveys/{surveyId}/exports': [send('POST', `${S}/exports`, 'evaluator')],
  '/api/v1/surveys/{surveyId}/exports/{proxy+}': [
    get(`${S}/exports/${randomUUID()}`, 'evaluator'),
    get(`${S}/exports/${randomUUID()}/files/data.csv`, 'evaluator'),
  ],
  $default: [
    get('/health', 'public'),
    get(S, 'public'),
    send('POST', `${S}/responses`, 'public', () => ({
      submissionId: randomUUID(),
      audience: 'public',
      locale: 'de',
      answers: miniAnswers,
    })),
    get(`/s/${miniSurvey.id}/public`, 'public'),
    get(`/c/${miniSurvey.id}/plakat-alpha`, 'public'),
    get(`/i/${'A'.repeat(32)}`, 'public'),
    get('/', 'public'),
    get('/reports', 'public'),
  ],
};

const ROLES: Role[] = ['admin', 'lead', 'evaluator'];
const CAMPAIGN = miniSurvey.campaign.id;
const OTHER_CAMPAIGN = 'another-campaign';

function allows(who: Who, role: Role, inCampaign: boolean): boolean {
  if (who === 'any role') return true;
  if (!inCampaign) return false;
  return who === role || (who === 'lead or admin' && (role === 'lead' || role === 'admin'));
}

/** The route the local server (and API Gateway, whose most specific route is the first here) picks. */
function routeOf(path: string): Route | undefined {
  const pathname = new URL(path, 'http://x').pathname;
  return ROUTES.find((route) => {
    if (route.path === '$default') return true; // whatever no other route takes, the site's root too
    const pattern = honoPath(route.path)
      .split('/')
      .map((part) => (part === '*' ? '.+' : part.startsWith(':') ? '[^/]+' : part.replace(/\./g, '\\.')))
      .join('/');
    return new RegExp(`^${pattern}$`).test(pathname);
  });
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('authorization matrix', () => {
  const devKey = new Uint8Array(randomBytes(32));
  let app: ReturnType<typeof createLocalApp>;
  /** Tokens every protected endpoint must refuse with 401. */
  const badTokens: Record<string, string | undefined> = {};
  const good = (role: Role, campaign: string) =>
    mintDevToken({ sub: `tester-${role}`, roles: [role], campaigns: [campaign] }, devKey, { ttl: '5m' });

  beforeAll(async () => {
    const db = await freshTable();
    await publishDefinition(db, miniSurvey);
    await publishDefinition(db, { ...miniSurvey, id: TWIN });
    await setWaveState(db, miniSurvey.id, { waveId: 'w0', state: 'open' });
    app = createLocalApp(localRuntime(db), { devKey, exportDir: mkdtempSync(join(tmpdir(), 'resonanz-matrix-')) });

    const admin = { sub: 'mallory', roles: ['admin' as const], campaigns: ['*'] };
    const now = Math.floor(Date.now() / 1000);
    const signed = (alg: string, header: object = {}) =>
      new SignJWT({ roles: admin.roles, campaigns: admin.campaigns })
        .setProtectedHeader({ alg, typ: 'JWT', ...header })
        .setSubject(admin.sub)
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + 300);
    const rsa = await generateKeyPair('RS256');
    Object.assign(badTokens, {
      'no token': undefined,
      garbage: 'not.a.token',
      expired: await mintDevToken(admin, devKey, { ttl: '1h', now: new Date(Date.now() - 2 * 3_600_000) }),
      'not valid yet (nbf)': await mintDevToken(admin, devKey, { ttl: '2h', now: new Date(Date.now() + 3_600_000) }),
      'signed with another key': await mintDevToken(admin, new Uint8Array(randomBytes(32)), { ttl: '5m' }),
      'another issuer': await mintDevToken(admin, devKey, { ttl: '5m', issuer: 'https://evil.example' }),
      'another audience': await mintDevToken(admin, devKey, { ttl: '5m', audience: 'another-api' }),
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({
        sub: admin.sub,
        roles: admin.roles,
        campaigns: admin.campaigns,
        iss: DEV_ISSUER,
        aud: DEV_AUDIENCE,
        exp: now + 300,
      })}.`,
      'HS384 with the dev key': await signed('HS384').sign(devKey),
      'RS256 with a key of its own': await signed('RS256').sign(rsa.privateKey),
      'no expiry': await new SignJWT({ roles: admin.roles, campaigns: admin.campaigns })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(admin.sub)
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .sign(devKey),
    });
  });

  const call = (endpoint: Endpoint, token: string | undefined) =>
    app.request(endpoint.path, {
      method: endpoint.method,
      headers: {
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...(endpoint.body ? { 'content-type': 'application/json' } : {}),
      },
      ...(endpoint.body ? { body: JSON.stringify(endpoint.body()) } : {}),
    });

  it('has an entry for every route of functions/routes.ts and none for a route that does not exist', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(ROUTES.map((r) => r.path).sort());
    for (const route of ROUTES) expect(MATRIX[route.path]?.length, route.path).toBeGreaterThan(0);
  });

  it("sends each request of an entry to that entry's route, public exactly where the route table says so", () => {
    for (const [path, endpoints] of Object.entries(MATRIX)) {
      for (const endpoint of endpoints) {
        const route = routeOf(endpoint.path);
        expect(route?.path, endpoint.path).toBe(path);
        expect(endpoint.who === 'public', endpoint.path).toBe(route?.auth === 'public');
      }
    }
  });

  const endpoints = Object.values(MATRIX).flat();
  const label = (e: Endpoint) => `${e.method} ${e.path} (${e.who})`;

  describe.each(endpoints.filter((e) => e.who !== 'public'))('$method $path ($who)', (endpoint) => {
    it('answers 401 problem+json with a Bearer challenge to every token it must not trust', async () => {
      for (const [name, token] of Object.entries(badTokens)) {
        const res = await call(endpoint, token);
        expect(res.status, `${label(endpoint)}: ${name}`).toBe(401);
        expect(res.headers.get('content-type'), name).toContain('application/problem+json');
        expect(res.headers.get('www-authenticate'), name).toBe('Bearer');
        expect(((await res.json()) as { status: number }).status, name).toBe(401);
      }
    });

    it('answers 403 to a role it does not allow or another campaign, and lets the allowed roles through', async () => {
      for (const role of ROLES) {
        for (const campaign of [CAMPAIGN, OTHER_CAMPAIGN]) {
          const res = await call(endpoint, await good(role, campaign));
          const what = `${label(endpoint)}: ${role} of ${campaign}`;
          if (allows(endpoint.who, role, campaign === CAMPAIGN)) {
            expect([401, 403], `${what} got ${res.status}`).not.toContain(res.status);
            expect(res.status, what).toBeLessThan(500);
            // Nothing a signed-in caller gets may be kept by a cache (a shared office computer).
            expect(res.headers.get('cache-control'), what).toContain('no-store');
          } else {
            expect(res.status, what).toBe(403);
            expect(res.headers.get('content-type'), what).toContain('application/problem+json');
          }
        }
      }
    });
  });

  describe.each(endpoints.filter((e) => e.who === 'public'))('$method $path ($who)', (endpoint) => {
    it('answers without a token and ignores a bad one', async () => {
      const bare = await call(endpoint, undefined);
      const forged = await call(endpoint, badTokens['alg none']);
      const expired = await call(endpoint, badTokens.expired);

      for (const res of [bare, forged, expired]) {
        expect([401, 403], label(endpoint)).not.toContain(res.status);
        expect(res.status, label(endpoint)).toBeLessThan(500);
      }
      expect(forged.status).toBe(bare.status);
      expect(expired.status).toBe(bare.status);
    });
  });
});
