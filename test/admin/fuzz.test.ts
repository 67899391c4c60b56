import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCatalog } from '../../shared/data/catalog.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { adminAppWith, bearer } from '../setup/admin-app.js';
import { expectSafeAnswer, fuzzSeed, HOSTILE_SEGMENTS, SCRIPT } from '../setup/fuzz.js';
import { freshTable } from '../setup/table.js';

/** Every admin route with a body or an id, as `method path` with `{x}` where a fuzzed id goes. */
const ROUTES: [string, string][] = [
  ['POST', '/api/v1/admin/surveys/{s}/channels'],
  ['POST', '/api/v1/admin/surveys/{s}/channels/{x}/disable'],
  ['GET', '/api/v1/admin/surveys/{s}/channels/{x}/qr.svg'],
  ['POST', '/api/v1/admin/surveys/{s}/invitations'],
  ['POST', '/api/v1/admin/surveys/{s}/invitations/{x}/revoke'],
  ['POST', '/api/v1/admin/surveys/{s}/waves/{x}/open'],
  ['PUT', '/api/v1/admin/surveys/{s}/waves/{x}/schedule'],
  ['PUT', '/api/v1/admin/surveys/{s}/quotas/{x}'],
  ['DELETE', '/api/v1/admin/surveys/{s}/quotas/{x}'],
  ['GET', '/api/v1/admin/surveys/{s}/waves'],
];

describe('admin API fuzzing', () => {
  let app: ReturnType<typeof adminAppWith>['app'];
  let auth: RequestInit;

  beforeAll(async () => {
    const db = await freshTable();
    await publishDefinition(db, miniSurvey);
    const admin = adminAppWith(db, createCatalog(db, { ttlMs: 0 }));
    app = admin.app;
    auth = bearer(await admin.token(['admin'], [miniSurvey.campaign.id]));
  });

  it("answers an admin's malformed requests with problem+json, never a 5xx or a stack trace", async () => {
    const seed = fuzzSeed('admin');
    const id = fc.oneof(
      fc.constantFrom('mini', 'w0', 'alpha', 'w0.public', 'w0.public.alpha', ...HOSTILE_SEGMENTS),
      fc.string({ maxLength: 30 }).map(encodeURIComponent),
    );
    // The survey mostly the campaign's own, so that every run reaches the handlers (and a 2xx) for sure.
    const survey = fc.oneof({ arbitrary: fc.constant('mini'), weight: 3 }, { arbitrary: id, weight: 1 });
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            code: fc.oneof(fc.constantFrom('plakat-x', SCRIPT), fc.string({ maxLength: 60 })),
            label: fc.oneof(fc.record({ de: fc.string(), en: fc.string() }), fc.anything()),
            kind: fc.oneof(fc.constantFrom('poster', 'school'), fc.string({ maxLength: 10 })),
            audience: fc.constantFrom('business', 'multiplier', 'public', 'x'),
            count: fc.oneof(fc.integer({ min: -5, max: 20_000 }), fc.double(), fc.string()),
            expiresOn: fc.oneof(fc.constantFrom('2027-01-01', '2027-02-30', 'yesterday'), fc.string({ maxLength: 12 })),
            opensAt: fc.oneof(fc.constantFrom('2027-01-01T00:00:00Z', 'not a date'), fc.string({ maxLength: 25 })),
            closesAt: fc.oneof(fc.constantFrom('2026-01-01T00:00:00Z'), fc.string({ maxLength: 25 })),
            target: fc.oneof(fc.integer({ min: -10, max: 1_000_000 }), fc.string()),
            whenMet: fc.oneof(fc.constantFrom('close', 'keep'), fc.string({ maxLength: 8 })),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
      fc.constantFrom('', '{', 'null', '[]', '{"__proto__":{"admin":true}}'),
    );
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        survey,
        id,
        body,
        fc.constantFrom('application/json', 'text/plain', ''),
        async ([method, template], survey, other, raw, type) => {
          const path = template.replace('{s}', survey).replace('{x}', other);
          const headers = { ...(auth.headers as Record<string, string>), ...(type ? { 'content-type': type } : {}) };
          const res = await app.request(path, {
            method,
            headers,
            ...(method === 'GET' || method === 'DELETE' ? {} : { body: raw }),
          });
          seen.add(res.status);
          await expectSafeAnswer(res, `${method} ${path}`);
        },
      ),
      { numRuns: 1000, seed },
    );
    // The cases reached the handlers (an admin of the campaign), not only the token check.
    expect([...seen].some((status) => status < 300)).toBe(true);
    expect(seen.has(400)).toBe(true);
    expect(seen.has(401)).toBe(false);
  }, 180_000);
});
