import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../shared/data/table.js';
import { bearer } from '../setup/admin-app.js';
import { expectSafeAnswer, fuzzSeed, SCRIPT } from '../setup/fuzz.js';
import { REPORT_CAMPAIGN, reportAppWith, seedFieldwork } from '../setup/report-app.js';
import { freshTable } from '../setup/table.js';

describe('lead report fuzzing', () => {
  let db: Db;

  beforeAll(async () => {
    db = await freshTable();
    await seedFieldwork(db);
  });

  it("answers a lead's hostile queries and paths with problem+json or a page, never a 5xx, a stack trace or a reflected script", async () => {
    const seed = fuzzSeed('report');
    const { app, token } = reportAppWith(db);
    const lead = bearer(await token(['lead'], [REPORT_CAMPAIGN]));
    const value = fc.oneof(
      fc.constantFrom(
        'alpha',
        'beta',
        'w0',
        'w1',
        'public',
        'business',
        'holm',
        'mini,mini',
        'mini,nope',
        'true',
        'false',
        'en',
        SCRIPT,
        '..%2F',
      ),
      fc.string({ maxLength: 30 }),
    );
    const query = fc
      .dictionary(
        fc.oneof(
          fc.constantFrom(
            'city',
            'from',
            'to',
            'audience',
            'adjustment',
            'weighted',
            'lang',
            'wave',
            'format',
            'next',
            'surveys',
          ),
          fc.string({ maxLength: 8 }),
        ),
        value,
        { maxKeys: 5 },
      )
      .map((q) => new URLSearchParams(q).toString());
    const survey = fc.oneof(
      fc.constantFrom('mini', 'MINI', '..', '%2e%2e', 'nope', encodeURIComponent(SCRIPT)),
      fc.string({ maxLength: 20 }).map(encodeURIComponent),
    );
    const path = fc.constantFrom(
      '/api/v1/surveys/{s}/fieldwork',
      '/api/v1/surveys/{s}/impact',
      '/reports/{s}/fieldwork',
      '/dashboard/{s}',
      '/reports/signin',
      '/api/v1/reports/{s}',
      '/api/v1/compare',
      '/api/v1/reports/console/compare',
      '/console/compare',
    );
    const accept = fc.constantFrom('application/json', 'text/csv', 'text/html', '*/*', '');
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(path, survey, query, accept, async (template, id, q, type) => {
        const url = `${template.replace('{s}', id)}?${q}`;
        const headers = { ...(lead.headers as Record<string, string>), ...(type ? { accept: type } : {}) };
        const res = await app.request(url, { headers });
        seen.add(res.status);
        await expectSafeAnswer(res, url, { pages: true });
      }),
      { numRuns: 600, seed },
    );
    // The cases reached the reports, not only the token check.
    expect([...seen].some((status) => status === 200)).toBe(true);
    expect(seen.has(401)).toBe(false);
  }, 180_000);
});
