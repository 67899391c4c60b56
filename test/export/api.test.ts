import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExportApp } from '../../functions/export/app.js';
import { backgroundDispatcher } from '../../functions/export/worker.js';
import type { Role } from '../../functions/lib/auth.js';
import { devKeyAuthenticator } from '../../functions/lib/authenticate.js';
import { STAFF_MAX_BODY_BYTES } from '../../functions/lib/body-limit.js';
import { jsonLogger } from '../../functions/lib/logger.js';
import { DEV_AUDIENCE, DEV_ISSUER, mintDevToken } from '../../local/dev-token.js';
import { folderStorage } from '../../local/export-files.js';
import { createCatalog } from '../../shared/data/catalog.js';
import {
  type ExportRecord,
  getExportRecord,
  listExportRecords,
  putExportRecord,
} from '../../shared/data/export-store.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import type { ExportJob } from '../../shared/export/jobs.js';
import { submitMini } from '../fixtures/mini-response.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { adminAppWith, bearer } from '../setup/admin-app.js';
import { json } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

const BASE = '/api/v1/surveys/mini/exports';
const CAMPAIGN = miniSurvey.campaign.id;

describe('export API', () => {
  let db: Db;
  let dir: string;
  let app: ReturnType<typeof createExportApp>;
  let token: (roles: Role[], campaigns?: string[], sub?: string) => Promise<string>;
  const started: { job: ExportJob; finished: Promise<ExportRecord | undefined> }[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    db = await freshTable();
    await publishDefinition(db, miniSurvey);
    await submitMini(db, 12, () => ({ seen_what: 'Ruf mich an: 0209 123456' }));
    dir = mkdtempSync(join(tmpdir(), 'resonanz-export-api-'));
    const key = new Uint8Array(randomBytes(32));
    const deps = {
      db,
      catalog: createCatalog(db, { ttlMs: 0 }),
      logger: jsonLogger((line) => logs.push(line)),
      now: () => new Date('2026-11-22T09:00:00Z'),
      storage: folderStorage(dir),
    };
    app = createExportApp({
      ...deps,
      authenticate: devKeyAuthenticator(key, DEV_ISSUER, DEV_AUDIENCE),
      dispatch: backgroundDispatcher(deps, (job, finished) => started.push({ job, finished })),
    });
    token = (roles, campaigns = [CAMPAIGN], sub = 'evaluator@uni.example') =>
      mintDevToken({ sub, roles, campaigns }, key, { ttl: '1h' });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const post = async (bearerToken: string | undefined, body: unknown = {}) =>
    app.request(BASE, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(bearerToken ? { authorization: `Bearer ${bearerToken}` } : {}),
      },
      body: JSON.stringify(body),
    });

  it('lets only evaluators of the campaign start an export: 401 without a token, 403 for leads, admins and other campaigns', async () => {
    expect((await post(undefined)).status).toBe(401);
    for (const roles of [['lead'], ['admin'], ['lead', 'admin']] as Role[][]) {
      const res = await post(await token(roles));
      expect(res.status, roles.join()).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await post(await token(['evaluator'], ['another-campaign']))).status).toBe(403);
    expect(started).toHaveLength(0);
  });

  it('refuses settings it does not know, naming them', async () => {
    const res = await post(await token(['evaluator']), { format: 'xlsx', k: 1, extra: true });
    expect(res.status).toBe(400);
    const fields = (await json(res)).errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['format', 'k']));
  });

  it('names an unknown key without echoing it as markup, and refuses a body over the limit with a 413 problem', async () => {
    const evaluator = await token(['evaluator']);
    const planted = await post(evaluator, { '<script>alert(1)</script>': 1 });
    expect(planted.status).toBe(400);
    const text = await planted.text();
    expect(text).not.toContain('<script>');
    expect(JSON.parse(text).errors[0].field).toBe('<script>alert(1)</script>');
    const huge = await post(evaluator, { lang: 'x'.repeat(STAFF_MAX_BODY_BYTES) });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toContain('application/problem+json');
    expect(started).toHaveLength(0);
  });

  it('starts, reports running, then done, and serves the files to the evaluator', async () => {
    const evaluator = await token(['evaluator']);
    const res = await post(evaluator, { format: 'csv', k: 5, freeText: 'scrub' });
    expect(res.status).toBe(202);
    const record = await json(res);
    expect(record).toMatchObject({
      status: 'running',
      surveyId: 'mini',
      requestedBy: 'evaluator@uni.example',
      format: 'csv',
      profile: { k: 5, period: 'week', freeText: 'scrub', lang: 'de' },
      links: { files: [] },
    });
    expect(res.headers.get('location')).toBe(`${BASE}/${record.exportId}`);
    const early = await app.request(`${BASE}/${record.exportId}/files/data.csv`, bearer(evaluator));
    // Either still running (409) or already done (200): a small export may finish at once.
    expect([200, 409]).toContain(early.status);

    const done = await started.at(-1)?.finished;
    expect(done).toMatchObject({ status: 'done', rows: 12 });
    const polled = await json(await app.request(`${BASE}/${record.exportId}`, bearer(evaluator)));
    expect(polled).toMatchObject({ status: 'done', rows: 12, smallestGroup: expect.any(Number) });
    expect(polled.links.files).toContain(`${BASE}/${record.exportId}/files/data.csv`);

    const file = await app.request(`${BASE}/${record.exportId}/files/data.csv`, bearer(evaluator));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="mini-data.csv"');
    expect(file.headers.get('cache-control')).toBe('no-store');
    const rows: Record<string, string>[] = parse(await file.text(), { columns: true });
    expect(rows).toHaveLength(12);
    expect(rows[0]?.seen_what).toBe('Ruf mich an: [Telefon]');
    const codebook = await json(await app.request(`${BASE}/${record.exportId}/files/codebook.json`, bearer(evaluator)));
    expect(codebook.surveyId).toBe('mini');

    // Nothing of the answers reaches the log.
    expect(logs.join('\n')).not.toContain('0209');
    expect(logs.some((l) => l.includes('"export done"'))).toBe(true);
  });

  it("takes the profile from the survey's settings.export where the request is silent, and a stricter one from the request", async () => {
    const own = structuredClone(miniSurvey);
    Object.assign(own, { id: 'mini-own' });
    own.settings.export = { k: 7, quasiIdentifiers: ['age'], hierarchies: [], period: 'wave', freeText: 'scrub' };
    await publishDefinition(db, own);
    const evaluator = await token(['evaluator']);
    const start = (body: unknown) =>
      app.request('/api/v1/surveys/mini-own/exports', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${evaluator}` },
        body: JSON.stringify(body),
      });
    const silent = await json(await start({}));
    expect(silent.profile).toEqual({ k: 7, period: 'wave', freeText: 'scrub', lang: 'de' });
    const asked = await json(await start({ k: 9, period: 'wave', freeText: 'exclude', lang: 'en' }));
    expect(asked.profile).toEqual({ k: 9, period: 'wave', freeText: 'exclude', lang: 'en' });
    await Promise.all(started.map((s) => s.finished));
  });

  it('refuses an export that asks for less protection than the survey file sets, naming the floor (attack 7 of issue 16)', async () => {
    // Prepare: the survey file says k = 7 and the wave only.
    const own = structuredClone(miniSurvey);
    Object.assign(own, { id: 'mini-floor' });
    own.settings.export = { k: 7, quasiIdentifiers: [], hierarchies: [], period: 'wave' };
    await publishDefinition(db, own);
    const evaluator = await token(['evaluator']);
    const before = started.length;

    // Act
    const res = await app.request('/api/v1/surveys/mini-floor/exports', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${evaluator}` },
      body: JSON.stringify({ k: 2, period: 'week' }),
    });

    // Assess: 400 problem+json naming both settings and the floor; nothing recorded or started.
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await json(res);
    expect(problem.errors.map((e: { field: string; code: string }) => [e.field, e.code])).toEqual([
      ['k', 'below_floor'],
      ['period', 'finer_than_survey'],
    ]);
    expect(problem.errors[0].message).toContain('k = 7');
    expect(started.length).toBe(before);
    expect(await listExportRecords(db, 'mini-floor')).toEqual([]);
  });

  it('records an export that has said running for over an hour as failed when it is next read', async () => {
    const evaluator = await token(['evaluator']);
    const running = (exportId: string, requestedAt: string): ExportRecord => ({
      exportId,
      surveyId: 'mini',
      requestedBy: 'evaluator@uni.example',
      requestedAt,
      status: 'running',
      format: 'csv',
      profile: { k: 5, period: 'week', freeText: 'exclude', lang: 'de' },
    });
    // The app's clock says 09:00: one export was asked for at 07:30, one at 08:30.
    const abandoned = running('6a1d4c8e-2b7f-4e3a-9c5d-1f0e2d3c4b5a', '2026-11-22T07:30:00.000Z');
    const young = running('7b2e5d9f-3c8a-4f4b-8d6e-2a1f3e4d5c6b', '2026-11-22T08:30:00.000Z');
    await putExportRecord(db, abandoned);
    await putExportRecord(db, young);
    const polled = await json(await app.request(`${BASE}/${abandoned.exportId}`, bearer(evaluator)));
    expect(polled).toMatchObject({ status: 'failed', finishedAt: '2026-11-22T09:00:00.000Z' });
    expect(polled.error).toMatch(/^ExportAbandonedError: the export stopped without finishing within 60 minutes/);
    expect((await app.request(`${BASE}/${abandoned.exportId}/files/data.csv`, bearer(evaluator))).status).toBe(409);
    expect(await json(await app.request(`${BASE}/${young.exportId}`, bearer(evaluator)))).toMatchObject({
      status: 'running',
    });
    expect((await getExportRecord(db, 'mini', abandoned.exportId)).status).toBe('failed');
  });

  it('answers 404 for an unknown export or file, and keeps other campaigns and roles out of downloads', async () => {
    const evaluator = await token(['evaluator']);
    const { exportId } = started[0]?.job ?? { exportId: '' };
    await started[0]?.finished;
    expect((await app.request(`${BASE}/00000000-0000-4000-8000-000000000000`, bearer(evaluator))).status).toBe(404);
    expect((await app.request(`${BASE}/${exportId}/files/secret.txt`, bearer(evaluator))).status).toBe(404);
    expect((await app.request(`${BASE}/${exportId}/files/..%2Fdata.csv`, bearer(evaluator))).status).toBe(400);
    expect((await app.request(`${BASE}/not-a-uuid`, bearer(evaluator))).status).toBe(400);
    const lead = await token(['lead']);
    expect((await app.request(`${BASE}/${exportId}/files/data.csv`, bearer(lead))).status).toBe(403);
    const other = await token(['evaluator'], ['another-campaign']);
    expect((await app.request(`${BASE}/${exportId}`, bearer(other))).status).toBe(403);
  });

  it('records every export for admins (who, when, profile, rows), without any exported data', async () => {
    // The same clock as the export app: the planted records' ages are measured against it.
    const admin = adminAppWith(db, createCatalog(db, { ttlMs: 0 }), () => new Date('2026-11-22T09:00:00Z'));
    const res = await admin.app.request(
      '/api/v1/admin/surveys/mini/exports',
      bearer(await admin.token(['admin'], [CAMPAIGN])),
    );
    expect(res.status).toBe(200);
    const { exports } = await json(res);
    // Newest first: the export written above, then the two planted running ones (one abandoned).
    expect(exports.map((e: ExportRecord) => e.status)).toEqual(['done', 'running', 'failed']);
    expect(exports[0]).toMatchObject({
      requestedBy: 'evaluator@uni.example',
      requestedAt: '2026-11-22T09:00:00.000Z',
      status: 'done',
      rows: 12,
      profile: { k: 5, freeText: 'scrub' },
    });
    expect(JSON.stringify(exports)).not.toContain('Ruf mich an');
    const asEvaluator = await admin.app.request(
      '/api/v1/admin/surveys/mini/exports',
      bearer(await admin.token(['evaluator'], [CAMPAIGN])),
    );
    expect(asEvaluator.status).toBe(403);
  });
});
