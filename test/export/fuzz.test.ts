import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExportApp } from '../../functions/export/app.js';
import { backgroundDispatcher } from '../../functions/export/worker.js';
import { devKeyAuthenticator } from '../../functions/lib/authenticate.js';
import { STAFF_MAX_BODY_BYTES } from '../../functions/lib/body-limit.js';
import { silentLogger } from '../../functions/lib/logger.js';
import { ROUTES as FUNCTION_ROUTES, honoPath } from '../../functions/routes.js';
import { DEV_AUDIENCE, DEV_ISSUER, mintDevToken } from '../../local/dev-token.js';
import { folderStorage } from '../../local/export-files.js';
import { createCatalog } from '../../shared/data/catalog.js';
import type { ExportRecord } from '../../shared/data/export-store.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import { submitMini } from '../fixtures/mini-response.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { expectSafeAnswer, fuzzSeed, HOSTILE_SEGMENTS, SCRIPT } from '../setup/fuzz.js';
import { freshTable } from '../setup/table.js';

/** Every export route, as `method path` with `{s}`, `{e}` and `{f}` where a fuzzed id goes. */
const ROUTES: [string, string][] = [
  ['POST', '/api/v1/surveys/{s}/exports'],
  ['GET', '/api/v1/surveys/{s}/exports/{e}'],
  ['GET', '/api/v1/surveys/{s}/exports/{e}/files/{f}'],
  ['GET', '/api/v1/surveys/{s}/exports/console'],
  ['GET', '/api/v1/exports/openapi.json'],
];
/** Exports that really run in the background (each writes files); the fuzz's later starts are recorded only. */
const REAL_EXPORTS = 25;

describe('export API fuzzing', () => {
  let app: ReturnType<typeof createExportApp>;
  let auth: Record<string, string>;
  let dir: string;
  let done: ExportRecord;
  const running: Promise<unknown>[] = [];

  beforeAll(async () => {
    const db = await freshTable();
    await publishDefinition(db, miniSurvey);
    const other = structuredClone(miniSurvey);
    Object.assign(other, { id: 'elsewhere', campaign: { ...miniSurvey.campaign, id: 'another-campaign' } });
    await publishDefinition(db, other);
    // Few responses: an export of them takes milliseconds.
    await submitMini(db, 4);
    dir = mkdtempSync(join(tmpdir(), 'resonanz-export-fuzz-'));
    const key = new Uint8Array(randomBytes(32));
    const deps = {
      db,
      catalog: createCatalog(db, { ttlMs: 0 }),
      logger: silentLogger,
      now: () => new Date('2026-11-22T09:00:00Z'),
      storage: folderStorage(dir),
    };
    const background = backgroundDispatcher(deps, (_job, finished) => running.push(finished));
    app = createExportApp({
      ...deps,
      authenticate: devKeyAuthenticator(key, DEV_ISSUER, DEV_AUDIENCE),
      dispatch: (job) => (running.length < REAL_EXPORTS ? background(job) : Promise.resolve()),
    });
    const token = await mintDevToken(
      { sub: 'evaluator@uni.example', roles: ['evaluator'], campaigns: [miniSurvey.campaign.id] },
      key,
      { ttl: '1h' },
    );
    auth = { authorization: `Bearer ${token}` };
    // One finished export, so that polls and downloads of a real export reach the file store.
    const res = await app.request(`/api/v1/surveys/mini/exports`, { method: 'POST', headers: auth });
    expect(res.status).toBe(202);
    await running[0];
    done = (await (await app.request(res.headers.get('location') ?? '', { headers: auth })).json()) as ExportRecord;
    expect(done.status).toBe('done');
  });

  afterAll(async () => {
    await Promise.all(running);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every route of the export app and of its entries in functions/routes.ts', () => {
    const own = ROUTES.map(([method, path]) => `${method} ${path.replace(/\{\w\}/g, '*')}`);
    const served = app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.replace(/:\w+/g, '*')}`);
    expect(new Set(own)).toEqual(new Set(served));
    for (const route of FUNCTION_ROUTES.filter((r) => r.fn === 'export')) {
      const prefix = honoPath(route.path).replace(/:\w+/g, '{s}').replace(/\*$/, '');
      const covered = ROUTES.some(([, path]) =>
        route.path.endsWith('{proxy+}') ? path.startsWith(prefix) && path.length > prefix.length : path === prefix,
      );
      expect(covered, route.path).toBe(true);
    }
  });

  it("answers an evaluator's hostile requests with problem+json, never a 5xx, a stack trace or a reflected script", async () => {
    const seed = fuzzSeed('export');
    const hostile = fc.oneof(
      fc.constantFrom(...HOSTILE_SEGMENTS),
      fc.string({ maxLength: 30 }).map(encodeURIComponent),
      fc.string({ unit: 'grapheme', maxLength: 10 }),
    );
    const survey = fc.oneof(
      { weight: 6, arbitrary: fc.constant('mini') },
      { weight: 1, arbitrary: fc.constantFrom('MINI', 'elsewhere', 'nope') },
      { weight: 3, arbitrary: hostile },
    );
    const exportId = fc.oneof(
      { weight: 5, arbitrary: fc.constant('{done}') },
      { weight: 2, arbitrary: fc.uuid() },
      { weight: 3, arbitrary: hostile },
    );
    const file = fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom('data.csv', 'codebook.json', 'disclosure.json', 'secret.txt') },
      { weight: 5, arbitrary: fc.constantFrom('..%2Fdata.csv', '.data.csv', 'data.csv%00', 'DATA.CSV') },
      { weight: 5, arbitrary: hostile },
    );
    const settings = fc
      .record(
        {
          format: fc.oneof(fc.constantFrom('csv', 'csv-excel', 'jsonl', 'xlsx', SCRIPT), fc.anything()),
          k: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.double(), fc.string({ maxLength: 5 })),
          period: fc.oneof(fc.constantFrom('week', 'wave', 'day'), fc.anything()),
          freeText: fc.oneof(fc.constantFrom('exclude', 'scrub', 'include'), fc.anything()),
          lang: fc.oneof(fc.constantFrom('de', 'en', 'fr'), fc.string({ maxLength: 5 })),
          [SCRIPT]: fc.anything(),
        },
        { requiredKeys: [] },
      )
      .map((v) => Buffer.from(JSON.stringify(v)));
    const valid = fc
      .record(
        {
          format: fc.constantFrom('csv', 'csv-excel', 'jsonl'),
          k: fc.integer({ min: 2, max: 100 }),
          period: fc.constantFrom('week', 'wave'),
          freeText: fc.constantFrom('exclude', 'scrub'),
          lang: fc.constantFrom('de', 'en'),
        },
        { requiredKeys: [] },
      )
      .map((v) => Buffer.from(JSON.stringify(v)));
    const text = (arbitrary: fc.Arbitrary<string>) => arbitrary.map((s) => Buffer.from(s));
    const body = fc.oneof(
      { weight: 6, arbitrary: valid },
      { weight: 6, arbitrary: settings },
      { weight: 2, arbitrary: text(fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v))) },
      // Bytes that are not UTF-8, alone or inside a JSON string.
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
      {
        weight: 1,
        arbitrary: fc
          .uint8Array({ maxLength: 200 })
          .map((bytes) => Buffer.concat([Buffer.from('{"format":"'), bytes, Buffer.from('"}')])),
      },
      {
        weight: 1,
        arbitrary: text(fc.integer({ min: 1, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`)),
      },
      {
        weight: 1,
        arbitrary: text(
          fc.integer({ min: 1, max: 5_000 }).map((depth) => `${'{"k":'.repeat(depth)}1${'}'.repeat(depth)}`),
        ),
      },
      // Huge strings, around and over the body limit.
      {
        weight: 1,
        arbitrary: text(
          fc
            .integer({ min: STAFF_MAX_BODY_BYTES - 1_000, max: 200_000 })
            .map((size) => `{"lang":"${'x'.repeat(size)}"}`),
        ),
      },
      {
        weight: 1,
        arbitrary: text(
          fc.constantFrom(
            '',
            '{',
            'null',
            '[]',
            '{}',
            '{"__proto__":{"k":1}}',
            '{"constructor":{"prototype":{"k":1}}}',
          ),
        ),
      },
    );
    const query = fc
      .dictionary(
        fc.oneof(
          fc.constantFrom('format', 'k', 'lang', 'download', 'redirect', '__proto__'),
          fc.string({ maxLength: 8 }),
        ),
        fc.oneof(
          fc.constantFrom(SCRIPT, '..%2F', 'https://evil.example', 'x'.repeat(3_000)),
          fc.string({ maxLength: 30 }),
        ),
        { maxKeys: 4 },
      )
      .map((q) => new URLSearchParams(q).toString());
    const contentType = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/problem+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'text/html',
      '',
    );
    const accept = fc.constantFrom('application/json', 'text/csv', 'text/html', 'application/xml', '*/*', '');
    const method = fc.oneof(
      { weight: 9, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS') },
    );
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.record({ survey, exportId, file, body, query, contentType, accept, method }),
        async ([routeMethod, template], c) => {
          const verb = c.method ?? routeMethod;
          const path = template
            .replace('{s}', () => c.survey)
            .replace('{e}', () => (c.exportId === '{done}' ? done.exportId : c.exportId))
            .replace('{f}', () => c.file);
          const url = c.query ? `${path}?${c.query}` : path;
          const hasBody = verb !== 'GET' && verb !== 'HEAD';
          const res = await app.request(url, {
            method: verb,
            headers: {
              ...auth,
              ...(c.contentType ? { 'content-type': c.contentType } : {}),
              ...(c.accept ? { accept: c.accept } : {}),
            },
            ...(hasBody ? { body: c.body } : {}),
          });
          seen.add(res.status);
          if (hasBody && c.body.length > STAFF_MAX_BODY_BYTES) expect(res.status).toBe(413);
          await expectSafeAnswer(res, `${verb} ${url.slice(0, 300)} (${c.contentType})`, { head: verb === 'HEAD' });
        },
      ),
      { numRuns: 1000, seed },
    );
    // The cases reached the handlers (an evaluator of the campaign), not only the token check.
    expect(seen.has(200)).toBe(true);
    expect(seen.has(202)).toBe(true);
    expect(seen.has(400)).toBe(true);
    expect(seen.has(404)).toBe(true);
    expect(seen.has(401)).toBe(false);
    await Promise.all(running);
    // Every export the fuzz started was of the mini survey, written into its folder under the temporary one.
    expect(readdirSync(dir)).toEqual(['mini']);
  }, 60_000);
});
