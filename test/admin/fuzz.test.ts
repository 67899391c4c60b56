import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createCatalog } from '../../shared/data/catalog.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import { miniSurvey, miniSurveyInput } from '../fixtures/mini-survey.js';
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

  it('answers hostile survey files with problem+json, never a 5xx: aliases, anchors, merge keys, tags, deep nesting, mutations', async () => {
    const seed = fuzzSeed('admin-definitions');
    const valid = stringify({ ...miniSurveyInput, version: '7' });
    const lines = valid.split('\n');
    const nested = (depth: number, open: string, close: string) => `${open.repeat(depth)}${close.repeat(depth)}`;
    const hostile = fc.oneof(
      // The real file, with one line replaced, dropped or repeated.
      fc
        .tuple(fc.nat(lines.length - 1), fc.constantFrom('drop', 'repeat', 'replace'), fc.string({ maxLength: 40 }))
        .map(([at, how, text]) =>
          lines
            .flatMap((line, i) => (i !== at ? [line] : how === 'drop' ? [] : how === 'repeat' ? [line, line] : [text]))
            .join('\n'),
        ),
      // Alias bombs of growing size, a self-referencing merge, and tags YAML libraries have run as code.
      fc.integer({ min: 2, max: 12 }).map((n) =>
        [
          'a: &a [x, x, x, x, x, x, x, x, x, x]',
          ...Array.from(
            { length: n },
            (_, i) =>
              `l${i}: &l${i} [${Array(10)
                .fill(i === 0 ? '*a' : `*l${i - 1}`)
                .join(', ')}]`,
          ),
        ].join('\n'),
      ),
      fc.constantFrom(
        'a: &a\n  <<: *a\n',
        'id: !!js/function "function () { return process.exit(1) }"',
        'id: !!python/object/apply:os.system ["true"]',
        `${valid}\nextra: !!binary aGVsbG8=`,
        `${valid}\nid: mini`,
        '%YAML 9.9\n---\nid: mini',
        '--- |\n  text\n--- |\n  second document',
        '\uFEFF\u0000id: mini',
        `version: ${'9'.repeat(400)}`,
      ),
      fc.integer({ min: 1_000, max: 20_000 }).map((d) => nested(d, '[', ']')),
      fc.integer({ min: 1_000, max: 20_000 }).map((d) => nested(d, '{a: ', '}')),
      fc
        .integer({ min: 100, max: 3_000 })
        .map((d) => Array.from({ length: d }, (_, i) => `${' '.repeat(i)}- `).join('\n')),
      fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
      fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    );
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(hostile, fc.boolean(), async (text, dryRun) => {
        const headers = { ...(auth.headers as Record<string, string>), 'content-type': 'application/yaml' };
        const res = await app.request(`/api/v1/admin/surveys/mini/definitions${dryRun ? '?dryRun=true' : ''}`, {
          method: 'POST',
          headers,
          body: text,
        });
        seen.add(res.status);
        await expectSafeAnswer(res, 'POST definitions');
      }),
      { numRuns: 120, seed },
    );
    expect(seen.has(400)).toBe(true);
    expect([...seen].every((status) => status < 500)).toBe(true);
  }, 180_000);
});
