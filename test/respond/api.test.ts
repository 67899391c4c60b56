import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../functions/lib/logger.js';
import { createReportApp } from '../../functions/report/app.js';
import { readCells, totalOf } from '../../shared/data/aggregate-store.js';
import { createCatalog } from '../../shared/data/catalog.js';
import { getResponse } from '../../shared/data/response-store.js';
import { setWaveState } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';
import { json, jsonPost, respondAppWith } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

describe('respondent API', () => {
  let db: Db;
  let app: Awaited<ReturnType<typeof respondAppWith>>['app'];

  beforeAll(async () => {
    db = await freshTable();
    ({ app } = await respondAppWith(db, miniSurvey, 'w0'));
  });

  const submission = (over: Record<string, unknown> = {}) => ({
    submissionId: randomUUID(),
    audience: 'public',
    locale: 'de',
    answers: miniAnswers,
    ...over,
  });

  it('returns the public definition of the open wave', async () => {
    const res = await app.request('/api/v1/surveys/mini');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.wave).toEqual({ id: 'w0', label: miniSurvey.waves[0]?.label, kind: 'baseline' });
    expect(body.definition.id).toBe('mini');
  });

  it('returns 404 problem for a survey that does not exist', async () => {
    const res = await app.request('/api/v1/surveys/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('stores a response with coarse date and its aggregate contribution', async () => {
    const cells = () => readCells(db, 'mini', 'w0', miniSurvey.settings.aggregateShards);
    const before = totalOf(await cells());
    const body = submission();
    const res = await app.request('/api/v1/surveys/mini/responses', jsonPost(body));
    expect(res.status).toBe(201);
    const { responseId, wave } = await json(res);
    expect(wave).toBe('w0');
    const stored = await getResponse(db, 'mini', responseId);
    expect(stored).toMatchObject({
      surveyVersion: '1',
      waveId: 'w0',
      audience: 'public',
      submittedOn: '2026-11-20',
      consentVersion: 'c1',
      consentBy: 'self',
      dimensions: { city: 'alpha', exposure: 'yes', age_band: '_' },
      channel: 'unknown',
    });
    expect(JSON.stringify(stored)).not.toContain(body.submissionId);
    const after = totalOf(await cells());
    expect((after.n ?? 0) - (before.n ?? 0)).toBe(1);
    expect((after['img_modern#o#4'] ?? 0) - (before['img_modern#o#4'] ?? 0)).toBe(1);
    expect((after['recommend#s'] ?? 0) - (before['recommend#s'] ?? 0)).toBe(9);
  });

  it('records a declared channel and stores any other code as unknown', async () => {
    const declared = await json(
      await app.request('/api/v1/surveys/mini/responses', jsonPost(submission({ channel: 'plakat-alpha' }))),
    );
    const personal = await json(
      await app.request('/api/v1/surveys/mini/responses', jsonPost(submission({ channel: 'max-mustermann-1990' }))),
    );
    expect((await getResponse(db, 'mini', declared.responseId))?.channel).toBe('plakat-alpha');
    expect((await getResponse(db, 'mini', personal.responseId))?.channel).toBe('unknown');
  });

  it('counts a repeated submissionId once and returns the same response', async () => {
    const body = submission();
    const before = totalOf(await readCells(db, 'mini', 'w0', 4)).n ?? 0;
    const first = await app.request('/api/v1/surveys/mini/responses', jsonPost(body));
    const again = await app.request('/api/v1/surveys/mini/responses', jsonPost(body));
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual(await json(first));
    expect(totalOf(await readCells(db, 'mini', 'w0', 4)).n).toBe(before + 1);
  });

  it('rejects a reused submissionId with different answers with 409', async () => {
    const body = submission();
    await app.request('/api/v1/surveys/mini/responses', jsonPost(body));
    const res = await app.request(
      '/api/v1/surveys/mini/responses',
      jsonPost({ ...body, answers: { ...miniAnswers, grade: 5 } }),
    );
    expect(res.status).toBe(409);
    expect((await json(res)).type).toMatch(/submission-conflict$/);
  });

  it('lists every invalid field in one 400 problem', async () => {
    const res = await app.request(
      '/api/v1/surveys/mini/responses',
      jsonPost(
        submission({
          answers: {
            consent: 'self',
            seen_ads: 'no',
            seen_what: 'not shown',
            img_modern: 7,
            recommend: 'ten',
            channels: ['poster'],
            bogus: 1,
            age: 12.5,
          },
        }),
      ),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = await json(res);
    const byField = Object.fromEntries(body.errors.map((e: { field: string; code: string }) => [e.field, e.code]));
    expect(byField).toEqual({
      'answers.bogus': 'unknown_question',
      'answers.seen_what': 'not_shown',
      'answers.img_modern': 'out_of_range',
      'answers.recommend': 'invalid_type',
      'answers.channels': 'not_shown',
      'answers.city': 'required',
      'answers.age': 'invalid_type',
    });
  });

  it('rejects unknown top-level keys and a malformed submissionId', async () => {
    const res = await app.request(
      '/api/v1/surveys/mini/responses',
      jsonPost(submission({ submissionId: 'x', extra: true })),
    );
    expect(res.status).toBe(400);
    const fields = (await json(res)).errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['submissionId', 'extra']));
  });

  it('lists answer problems beside envelope problems in one 400', async () => {
    const res = await app.request(
      '/api/v1/surveys/mini/responses',
      jsonPost({
        submissionId: 'x',
        audience: 'public',
        answers: { consent: 'self', city: 'alpha', bogus: 1, img_modern: 9 },
      }),
    );
    expect(res.status).toBe(400);
    const fields = (await json(res)).errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(['submissionId', 'answers.bogus', 'answers.img_modern']);
  });

  it('answers malformed JSON, wrong content type and oversized bodies with problems', async () => {
    const malformed = await app.request('/api/v1/surveys/mini/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"submissionId":',
    });
    expect(malformed.status).toBe(400);
    const wrongType = await app.request('/api/v1/surveys/mini/responses', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(wrongType.status).toBe(415);
    const huge = await app.request(
      '/api/v1/surveys/mini/responses',
      jsonPost(submission({ answers: { seen_what: 'x'.repeat(70_000) } })),
    );
    expect(huge.status).toBe(413);
    for (const res of [malformed, wrongType, huge]) {
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('answers 409 when no wave is open', async () => {
    const other = await freshTable();
    const { app: closed } = await respondAppWith(other, miniSurvey, 'w0');
    await setWaveState(other, 'mini', { waveId: 'w0', state: 'closed' });
    const res = await closed.request('/api/v1/surveys/mini/responses', jsonPost(submission()));
    expect(res.status).toBe(409);
    expect((await json(res)).type).toMatch(/no-open-wave$/);
  });

  it('answers 409 when the open wave is outside the dates of the survey file', async () => {
    const other = await freshTable();
    const dated = {
      ...miniSurvey,
      waves: miniSurvey.waves.map((w) => ({ ...w, opens: '2020-01-01', closes: '2020-02-01' })),
    };
    const { app: past } = await respondAppWith(other, dated, 'w0');
    const res = await past.request('/api/v1/surveys/mini/responses', jsonPost(submission()));
    expect(res.status).toBe(409);
    expect((await json(await past.request('/api/v1/surveys/mini'))).type).toMatch(/no-open-wave$/);
  });

  it('serves the OpenAPI document and a readable reference page (through the report function)', async () => {
    // The respondent function leaves its document to the report function (functions/routes.ts).
    expect((await app.request('/api/v1/openapi.json')).status).toBe(404);
    const reports = createReportApp({
      db,
      catalog: createCatalog(db, { ttlMs: 0 }),
      logger: silentLogger,
      now: () => new Date(),
      authenticate: async () => {
        throw new Error('not used');
      },
    });
    const doc = await json(await reports.request('/api/v1/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Resonanz API');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/surveys/{surveyId}',
      '/api/v1/surveys/{surveyId}/responses',
    ]);
    expect(doc.components.schemas.SubmitRequest).toBeDefined();
    // Every documented operation is one the respondent app answers (not a 404 of an unknown route).
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(operations)) {
        const res = await app.request(path.replace('{surveyId}', 'mini'), {
          method: method.toUpperCase(),
          ...(method === 'post' ? jsonPost(submission()) : {}),
        });
        expect([200, 201], `${method} ${path}`).toContain(res.status);
      }
    }
    const page = await reports.request('/api/v1/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("style-src 'self'");
    expect(await page.text()).toContain('/api/v1/surveys/{surveyId}/responses');
  });
});
