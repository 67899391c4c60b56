import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../shared/data/table.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';
import { expectSafeAnswer, fuzzSeed, HOSTILE_SEGMENTS } from '../setup/fuzz.js';
import { respondAppWith } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

const questionIds = Object.keys(miniAnswers);
/** Values of every JSON kind, near-misses of valid answers included. */
const answerValue = fc.oneof(
  fc.constantFrom(0, 1, 5, 6, 10, 11, -1, 2.5, 'dk', 'yes', 'no', 'self', 'alpha', '', ' ', null, true),
  fc.array(fc.constantFrom('poster', 'social', 'none', 'tv', 1), { maxLength: 4 }),
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.object({ maxDepth: 2 }),
);
const answers = fc.dictionary(fc.oneof(fc.constantFrom(...questionIds), fc.string({ maxLength: 12 })), answerValue, {
  maxKeys: 14,
});
const submission = fc.record(
  {
    submissionId: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })),
    audience: fc.oneof(fc.constantFrom('public', 'business', 'multiplier'), fc.string({ maxLength: 10 })),
    channel: fc.oneof(fc.constantFrom('plakat-marl', 'x'), fc.string({ maxLength: 50 })),
    locale: fc.constantFrom('de', 'en', 'fr', 1),
    answers: fc.oneof(answers, fc.anything()),
    extra: fc.anything(),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  { weight: 6, arbitrary: submission.map((s) => JSON.stringify(s)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom('', '{', '[[[[[[[[[[', '{"answers":{"__proto__":{"x":1}}}', 'null') },
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  '',
);

describe('respondent API fuzzing', () => {
  let db: Db;
  let app: Awaited<ReturnType<typeof respondAppWith>>['app'];

  beforeAll(async () => {
    db = await freshTable();
    ({ app } = await respondAppWith(db, miniSurvey, 'w0'));
  });

  it('never answers a malformed submission with a 5xx, always with problem+json', async () => {
    const seed = fuzzSeed('submission');
    await fc.assert(
      fc.asyncProperty(
        body,
        contentType,
        fc.constantFrom('mini', 'nope', '..%2F..%2Fetc', 'MINI'),
        async (raw, type, survey) => {
          const res = await app.request(`/api/v1/surveys/${survey}/responses`, {
            method: 'POST',
            headers: type ? { 'content-type': type } : {},
            body: raw,
          });
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers.get('content-type')).toContain('application/problem+json');
            const problem = await res.json();
            expect(problem).toMatchObject({ status: res.status, title: expect.any(String), type: expect.any(String) });
          }
        },
      ),
      { numRuns: 1000, seed },
    );
  }, 120_000);
  it('never answers a hostile form post with a 5xx, a stack trace or a reflected script', async () => {
    const seed = fuzzSeed('form');
    const field = fc.oneof(
      fc.constantFrom('_section', '_lock', '_shown', '_sid', '_action', ...questionIds),
      fc.string({ maxLength: 10 }),
    );
    const value = fc.oneof(
      fc.constantFrom('0', '1', '4', '-1', '9999', 'next', 'back', 'decline', 'lang', 'dk', 'yes', 'alpha', 'poster'),
      fc.constantFrom('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '=HYPERLINK("x")'),
      fc.uuid(),
      fc.string({ maxLength: 40 }),
    );
    const formBody = fc.array(fc.tuple(field, value), { maxLength: 20 });
    await fc.assert(
      fc.asyncProperty(formBody, fc.constantFrom('public', 'business', 'x'), async (pairs, audience) => {
        const res = await app.request(`/s/mini/${audience}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(pairs).toString(),
        });
        expect(res.status).toBeLessThan(500);
        expect(res.headers.get('content-type')).toContain('text/html');
        const html = await res.text();
        expect(html).not.toContain('<script>alert(1)</script>');
        expect(html).not.toContain('<img src=x');
        expect(html).not.toMatch(/\bat .+\.(ts|js):\d+/);
      }),
      { numRuns: 500, seed },
    );
  }, 120_000);

  it('never answers raw bytes, huge or deeply nested bodies or hostile ids with a 5xx, a stack trace or a reflected script', async () => {
    const seed = fuzzSeed('raw');
    const nested = fc.integer({ min: 1, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);
    const deepObject = fc
      .integer({ min: 1, max: 5_000 })
      .map((depth) => `${'{"answers":'.repeat(depth)}1${'}'.repeat(depth)}`);
    const rawBody = fc.oneof(
      // Bytes that are not UTF-8 (lone continuation bytes, overlongs, 0xff), in JSON-ish framing or alone.
      fc
        .uint8Array({ maxLength: 300 })
        .map((bytes) => Buffer.concat([Buffer.from('{"answers":"'), bytes, Buffer.from('"}')])),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      nested.map((text) => Buffer.from(text)),
      deepObject.map((text) => Buffer.from(text)),
      // Around the 64 KiB body limit.
      fc
        .integer({ min: 60_000, max: 140_000 })
        .map((size) => Buffer.from(`{"answers":{"seen_what":"${'x'.repeat(size)}"}}`)),
    );
    const id = fc.oneof(
      fc.constantFrom('mini', ...HOSTILE_SEGMENTS),
      fc.string({ maxLength: 20 }).map(encodeURIComponent),
    );
    const type = fc.constantFrom(
      'application/json',
      'application/x-www-form-urlencoded',
      'text/html',
      'multipart/form-data',
      '',
    );
    await fc.assert(
      fc.asyncProperty(
        rawBody,
        id,
        type,
        fc.constantFrom('api', 'form', 'page'),
        async (bytes, survey, contentType, target) => {
          const path =
            target === 'api'
              ? `/api/v1/surveys/${survey}/responses`
              : target === 'form'
                ? `/s/${survey}/public`
                : `/s/${survey}/${survey}`;
          const res = await app.request(path, {
            method: target === 'page' ? 'GET' : 'POST',
            headers: contentType ? { 'content-type': contentType } : {},
            ...(target === 'page' ? {} : { body: bytes }),
          });
          await expectSafeAnswer(res, `${target} ${path}`, { pages: true });
          if (res.headers.get('content-type')?.includes('text/html')) {
            // Scripts never inline: a script that got into the page would not run.
            const csp = res.headers.get('content-security-policy') ?? '';
            expect(csp).toMatch(/default-src 'none'|script-src/);
            expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
          }
        },
      ),
      { numRuns: 1500, seed },
    );
  }, 180_000);
});
