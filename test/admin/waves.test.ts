import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCatalog } from '../../shared/data/catalog.js';
import type { Db } from '../../shared/data/table.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';
import { adminAppWith, bearer } from '../setup/admin-app.js';
import { json, jsonPost, respondAppWith } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

const CAMPAIGN = miniSurvey.campaign.id;
const WAVES = '/api/v1/admin/surveys/mini/waves';

describe('admin waves API', () => {
  let db: Db;
  let admin: ReturnType<typeof adminAppWith>;
  let respond: Awaited<ReturnType<typeof respondAppWith>>['app'];
  let now = new Date('2026-11-20T10:00:00Z');

  beforeAll(async () => {
    db = await freshTable();
    ({ app: respond } = await respondAppWith(db, miniSurvey, 'w0', {
      now: () => now,
      catalog: createCatalog(db, { ttlMs: 0 }),
    }));
    admin = adminAppWith(db, createCatalog(db, { ttlMs: 0 }), () => now);
  });

  const submit = async () =>
    (
      await respond.request(
        '/api/v1/surveys/mini/responses',
        jsonPost({ submissionId: randomUUID(), audience: 'public', answers: miniAnswers }),
      )
    ).status;

  describe('authorization', () => {
    const routes: [string, string, RequestInit?][] = [
      ['GET', WAVES],
      ['POST', `${WAVES}/w0/open`],
      ['POST', `${WAVES}/w0/close`],
      [
        'PUT',
        `${WAVES}/w0/schedule`,
        { headers: { 'content-type': 'application/json' }, body: '{"closesAt":"2027-01-01T00:00:00Z"}' },
      ],
    ];

    it.each(routes)('%s %s answers 401 without a token', async (method, path, init) => {
      const res = await admin.app.request(path, { method, ...init });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    });

    it.each(routes)('%s %s answers 401 for an expired, foreign-key or alg:none token', async (method, path, init) => {
      const expired = await admin.token(['admin'], [CAMPAIGN], { now: new Date('2020-01-01T00:00:00Z') });
      const foreign = await admin.token(['admin'], [CAMPAIGN], { key: new Uint8Array(randomBytes(32)) });
      const [header, payload] = foreign.split('.');
      const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
      for (const token of [expired, foreign, none, `${header}.${payload}.x`]) {
        expect((await admin.app.request(path, bearer(token, { method, ...init }))).status).toBe(401);
      }
    });

    it.each(routes)('%s %s answers 403 for another role or campaign', async (method, path, init) => {
      const lead = await admin.token(['lead', 'evaluator'], [CAMPAIGN]);
      const other = await admin.token(['admin'], ['another-campaign']);
      expect((await admin.app.request(path, bearer(lead, { method, ...init }))).status).toBe(403);
      expect((await admin.app.request(path, bearer(other, { method, ...init }))).status).toBe(403);
    });

    it.each(routes)(
      '%s %s answers 200 for an admin of the campaign or of all campaigns',
      async (method, path, init) => {
        for (const campaigns of [[CAMPAIGN], ['*']]) {
          const token = await admin.token(['admin'], campaigns);
          expect((await admin.app.request(path, bearer(token, { method, ...init }))).status).toBe(200);
        }
        // Leave w0 open for the next tests.
        const token = await admin.token(['admin'], [CAMPAIGN]);
        await admin.app.request(`${WAVES}/w0/open`, bearer(token, { method: 'POST' }));
      },
    );
  });

  it('closes and opens waves as the respondent routes see them', async () => {
    const token = await admin.token(['admin'], [CAMPAIGN]);
    expect(await submit()).toBe(201);

    const closed = await json(await admin.app.request(`${WAVES}/w0/close`, bearer(token, { method: 'POST' })));
    expect(closed.waves.find((w: { id: string }) => w.id === 'w0')).toMatchObject({
      state: 'closed',
      collectingNow: false,
    });
    expect(await submit()).toBe(409);

    const opened = await json(await admin.app.request(`${WAVES}/w1/open`, bearer(token, { method: 'POST' })));
    expect(opened.waves.map((w: { id: string; collectingNow: boolean }) => [w.id, w.collectingNow])).toEqual([
      ['w0', false],
      ['w1', true],
    ]);
    const res = await respond.request(
      '/api/v1/surveys/mini/responses',
      jsonPost({ submissionId: randomUUID(), audience: 'public', answers: miniAnswers }),
    );
    expect((await json(res)).wave).toBe('w1');
  });

  it('honours a schedule: nothing before opensAt, collecting inside, nothing after closesAt', async () => {
    const token = await admin.token(['admin'], [CAMPAIGN]);
    await admin.app.request(`${WAVES}/w1/close`, bearer(token, { method: 'POST' }));
    const res = await admin.app.request(
      `${WAVES}/w0/schedule`,
      bearer(token, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ opensAt: '2026-12-01T00:00:00+01:00', closesAt: '2026-12-15T00:00:00+01:00' }),
      }),
    );
    expect(res.status).toBe(200);
    expect(await submit()).toBe(409);
    now = new Date('2026-12-05T12:00:00Z');
    expect(await submit()).toBe(201);
    now = new Date('2026-12-20T12:00:00Z');
    expect(await submit()).toBe(409);
  });

  it('rejects an empty window, unknown keys and an overlap with another wave', async () => {
    const token = await admin.token(['admin'], [CAMPAIGN]);
    const put = (body: unknown, wave = 'w1') =>
      admin.app.request(
        `${WAVES}/${wave}/schedule`,
        bearer(token, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      );
    const empty = await put({ opensAt: '2027-01-02T00:00:00Z', closesAt: '2027-01-01T00:00:00Z' });
    expect(empty.status).toBe(400);
    expect((await put({ closesAt: '2027-01-01T00:00:00Z', extra: 1 })).status).toBe(400);
    const overlap = await put({ opensAt: '2026-12-10T00:00:00Z', closesAt: '2027-01-01T00:00:00Z' });
    expect(overlap.status).toBe(409);
    expect((await json(overlap)).detail).toContain('"w0"');
    expect((await admin.app.request(`${WAVES}/w9/open`, bearer(token, { method: 'POST' }))).status).toBe(404);
  });
});
