import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { devKeyAuthenticator } from '../../functions/lib/authenticate.js';
import { silentLogger } from '../../functions/lib/logger.js';
import { createReportApp } from '../../functions/report/app.js';
import { DEV_AUDIENCE, DEV_ISSUER, mintDevToken } from '../../local/dev-token.js';
import { createCatalog } from '../../shared/data/catalog.js';
import { scanResponses } from '../../shared/data/response-store.js';
import type { Db } from '../../shared/data/table.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';
import { adminAppWith, bearer } from '../setup/admin-app.js';
import { json, jsonPost, respondAppWith } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

const CAMPAIGN = miniSurvey.campaign.id;
const QUOTAS = '/api/v1/admin/surveys/mini/quotas';
const putJson = (body: unknown): RequestInit => ({
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('admin quotas API', () => {
  let db: Db;
  let admin: ReturnType<typeof adminAppWith>;
  let respond: Awaited<ReturnType<typeof respondAppWith>>['app'];
  const submit = async (city: string) =>
    (
      await respond.request(
        '/api/v1/surveys/mini/responses',
        jsonPost({ submissionId: randomUUID(), audience: 'public', answers: { ...miniAnswers, city } }),
      )
    ).status;

  beforeAll(async () => {
    db = await freshTable();
    ({ app: respond } = await respondAppWith(db, miniSurvey, 'w0', { catalog: createCatalog(db, { ttlMs: 0 }) }));
    admin = adminAppWith(db, createCatalog(db, { ttlMs: 0 }), () => new Date('2026-11-20T10:00:00Z'));
  });

  describe('authorization', () => {
    const routes: [string, string, RequestInit?][] = [
      ['GET', QUOTAS],
      ['PUT', `${QUOTAS}/w1.public.beta`, putJson({ target: 50 })],
      ['DELETE', `${QUOTAS}/w1.public.beta`],
    ];

    it.each(routes)('%s %s answers 401 without a token', async (method, path, init) => {
      const res = await admin.app.request(path, { method, ...init });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    });

    it.each(routes)('%s %s answers 403 for another role or campaign', async (method, path, init) => {
      const lead = await admin.token(['lead', 'evaluator'], [CAMPAIGN]);
      const other = await admin.token(['admin'], ['another-campaign']);
      expect((await admin.app.request(path, bearer(lead, { method, ...init }))).status).toBe(403);
      expect((await admin.app.request(path, bearer(other, { method, ...init }))).status).toBe(403);
    });

    it('answers an admin of the campaign: list, set, remove in turn', async () => {
      const token = await admin.token(['admin'], [CAMPAIGN]);
      const expected = [200, 200, 204];
      for (const [i, [method, path, init]] of routes.entries()) {
        expect((await admin.app.request(path, bearer(token, { method, ...init }))).status).toBe(expected[i]);
      }
    });
  });

  it('sets a quota that closes the group on the public links, lists its progress and removes it', async () => {
    const token = await admin.token(['admin'], ['*']);
    for (let i = 0; i < 3; i++) expect(await submit('alpha')).toBe(201);

    const set = await admin.app.request(`${QUOTAS}/w0.public.alpha`, bearer(token, putJson({ target: 3 })));
    expect(set.status).toBe(200);
    expect(await json(set)).toEqual({
      id: 'w0.public.alpha',
      waveId: 'w0',
      audience: 'public',
      city: 'alpha',
      target: 3,
      whenMet: 'close',
      setOn: '2026-11-20',
      // Hidden, and so is whether it reached the target (it would tell the count); the links close all the same.
      responses: null,
      met: null,
    });
    expect(await submit('alpha')).toBe(409);
    expect(await submit('beta')).toBe(201);

    const keep = await admin.app.request(
      `${QUOTAS}/w0.public.alpha`,
      bearer(token, putJson({ target: 3, whenMet: 'keep' })),
    );
    expect((await json(keep)).whenMet).toBe('keep');
    expect(await submit('alpha')).toBe(201);

    const list = await json(await admin.app.request(QUOTAS, bearer(token)));
    expect(list.quotas.map((q: { id: string }) => q.id)).toEqual(['w0.public.alpha']);

    expect((await admin.app.request(`${QUOTAS}/w0.public.alpha`, bearer(token, { method: 'DELETE' }))).status).toBe(
      204,
    );
    const gone = await admin.app.request(`${QUOTAS}/w0.public.alpha`, bearer(token, { method: 'DELETE' }));
    expect(gone.status).toBe(404);
    expect((await json(gone)).detail).toContain('no quota "w0.public.alpha"');
  });

  it('refuses a quota that does not fit the survey, naming each field', async () => {
    const token = await admin.token(['admin'], [CAMPAIGN]);
    const badId = await admin.app.request(`${QUOTAS}/w0.pupils`, bearer(token, putJson({ target: 5 })));
    expect(badId.status).toBe(400);
    expect(JSON.stringify(await json(badId))).toContain('use wave.audience or wave.audience.city');

    const badBody = await admin.app.request(
      `${QUOTAS}/w0.public`,
      bearer(token, putJson({ target: 0, whenMet: 'stop', extra: 1 })),
    );
    expect(badBody.status).toBe(400);
    const fields = (await json(badBody)).errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['target', 'whenMet']));

    const unknown = await admin.app.request(`${QUOTAS}/w9.public.gamma`, bearer(token, putJson({ target: 5 })));
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).errors.map((e: { field: string; code: string }) => [e.field, e.code])).toEqual([
      ['waveId', 'unknown_wave'],
      ['city', 'unknown_city'],
    ]);
  });

  it('shows quota progress in the fieldwork report, through the disclosure gate', async () => {
    const token = await admin.token(['admin'], [CAMPAIGN]);
    await admin.app.request(`${QUOTAS}/w0.public`, bearer(token, putJson({ target: 200, whenMet: 'keep' })));
    for (let i = 0; i < 10; i++) expect(await submit('beta')).toBe(201);
    let stored = 0;
    for await (const _ of scanResponses(db, 'mini')) stored++;
    const key = new Uint8Array(32).fill(7);
    const report = createReportApp({
      db,
      catalog: createCatalog(db, { ttlMs: 0 }),
      logger: silentLogger,
      now: () => new Date('2026-11-20T12:00:00Z'),
      authenticate: devKeyAuthenticator(key, DEV_ISSUER, DEV_AUDIENCE),
    });
    const lead = await mintDevToken({ sub: 'lead', roles: ['lead'], campaigns: [CAMPAIGN] }, key, { ttl: '5m' });
    const body = await json(await report.request('/api/v1/surveys/mini/fieldwork', bearer(lead)));
    expect(body.quotas).toEqual([
      {
        id: 'w0.public',
        waveId: 'w0',
        audience: 'public',
        target: 200,
        whenMet: 'keep',
        responses: stored,
        met: false,
      },
    ]);
  });
});
