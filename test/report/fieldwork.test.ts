import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { devKeyAuthenticator } from '../../functions/lib/authenticate.js';
import { silentLogger } from '../../functions/lib/logger.js';
import { createReportApp } from '../../functions/report/app.js';
import { DEV_AUDIENCE, DEV_ISSUER, mintDevToken } from '../../local/dev-token.js';
import { createCatalog } from '../../shared/data/catalog.js';
import { createBatch } from '../../shared/data/invitation-store.js';
import type { Db } from '../../shared/data/table.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';
import { json, jsonPost, respondAppWith } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

const PATH = '/api/v1/surveys/mini/fieldwork';
const CAMPAIGN = miniSurvey.campaign.id;

describe('fieldwork report API', () => {
  const key = new Uint8Array(randomBytes(32));
  let db: Db;
  let app: ReturnType<typeof createReportApp>;
  const token = (roles: ('admin' | 'lead' | 'evaluator')[], campaigns = [CAMPAIGN]) =>
    mintDevToken({ sub: 't', roles, campaigns }, key, { ttl: '5m', issuer: DEV_ISSUER, audience: DEV_AUDIENCE });
  const get = async (t?: string) => app.request(PATH, t ? { headers: { authorization: `Bearer ${t}` } } : {});

  beforeAll(async () => {
    db = await freshTable();
    const { app: respond } = await respondAppWith(db, miniSurvey, 'w0');
    const post = (channel: string, city: string) =>
      respond.request(
        '/api/v1/surveys/mini/responses',
        jsonPost({ submissionId: randomUUID(), audience: 'public', channel, answers: { ...miniAnswers, city } }),
      );
    for (let i = 0; i < 12; i++) await post('plakat-alpha', 'alpha');
    for (let i = 0; i < 3; i++) await post('someone-personal', 'beta');
    await createBatch(db, {
      expiresAt: 2_000_000_000,
      surveyId: 'mini',
      audience: 'business',
      count: 5,
      now: new Date(),
      randomBytes,
    });
    app = createReportApp({
      db,
      catalog: createCatalog(db, { ttlMs: 0 }),
      logger: silentLogger,
      now: () => new Date('2026-11-20T12:00:00Z'),
      authenticate: devKeyAuthenticator(key, DEV_ISSUER, DEV_AUDIENCE),
    });
  });

  it('answers 401 without a token and 403 for an evaluator or another campaign', async () => {
    expect((await get()).status).toBe(401);
    expect((await get(await token(['evaluator']))).status).toBe(403);
    expect((await get(await token(['lead'], ['another-campaign']))).status).toBe(403);
  });

  it('shows leads and admins counts per audience, city and channel through the disclosure gate', async () => {
    for (const roles of [['lead'], ['admin']] as const) {
      const res = await get(await token([...roles]));
      expect(res.status).toBe(200);
      const body = await json(res);
      const w0 = body.waves.find((w: { waveId: string }) => w.waveId === 'w0');
      expect(w0.responses).toBe(15);
      // Beta's 3 are hidden, and so is Alpha (15 - 12 would give them away): alike, as null.
      expect(w0.audiences).toEqual([
        {
          audience: 'public',
          responses: 15,
          cities: [
            { city: 'alpha', responses: null },
            { city: 'beta', responses: null },
          ],
          // Together they are the total, which is shown: nothing more.
          otherCities: { groups: ['alpha', 'beta'], responses: 15 },
        },
      ]);
      expect(w0.channels).toEqual([
        { channel: 'plakat-alpha', responses: null },
        { channel: 'unknown', responses: null },
      ]);
      expect(w0.otherChannels).toEqual({ groups: ['plakat-alpha', 'unknown'], responses: 15 });
      expect(w0.periods).toEqual([{ from: '2026-11-20', to: '2026-11-20', responses: 15, cumulative: 15 }]);
      // The wave open now comes first and says so.
      expect(body.waves.map((w: { waveId: string; collecting: boolean }) => [w.waveId, w.collecting])).toEqual([
        ['w0', true],
        ['w1', false],
      ]);
      expect(body.acrossWaves).toEqual({ responses: 15, audiences: [{ audience: 'public', responses: 15 }] });
      expect(JSON.stringify(body)).not.toContain('"responses":3');
      expect(body.invitations).toEqual([expect.objectContaining({ audience: 'business', issued: 5, used: 0 })]);
    }
  });
});
