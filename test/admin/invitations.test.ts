import { randomBytes } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAdminApp } from '../../functions/admin/app.js';
import type { Role } from '../../functions/lib/auth.js';
import { devKeyAuthenticator } from '../../functions/lib/authenticate.js';
import { jsonLogger } from '../../functions/lib/logger.js';
import { DEV_AUDIENCE, DEV_ISSUER, mintDevToken } from '../../local/dev-token.js';
import { createCatalog } from '../../shared/data/catalog.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import { mergeCsv } from '../../shared/invitations/csv.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { bearer } from '../setup/admin-app.js';
import { json } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

const CAMPAIGN = miniSurvey.campaign.id;
const INVITATIONS = '/api/v1/admin/surveys/mini-inv/invitations';
/** The mini survey with a business audience (same questions) to invite. */
const survey: SurveyDefinition = {
  ...miniSurvey,
  id: 'mini-inv',
  audiences: { ...miniSurvey.audiences, business: miniSurvey.audiences.public },
};
const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('admin invitations API', () => {
  let db: Db;
  const logs: string[] = [];
  const key = new Uint8Array(randomBytes(32));
  const app = () =>
    createAdminApp({
      db,
      catalog: createCatalog(db, { ttlMs: 0 }),
      logger: jsonLogger((line) => logs.push(line)),
      now: () => new Date('2026-11-20T10:00:00Z'),
      authenticate: devKeyAuthenticator(key, DEV_ISSUER, DEV_AUDIENCE),
    });
  const token = (roles: Role[], campaigns: string[]) =>
    mintDevToken({ sub: 'tester', roles, campaigns }, key, { ttl: '1h' });
  let batchToRevoke: string;

  beforeAll(async () => {
    db = await freshTable();
    await publishDefinition(db, survey);
    const created = await json(
      await app().request(
        INVITATIONS,
        bearer(await token(['admin'], [CAMPAIGN]), post({ audience: 'business', count: 1 })),
      ),
    );
    batchToRevoke = created.batchId;
  });

  describe('authorization', () => {
    const routes = (): [string, string, RequestInit][] => [
      ['POST', INVITATIONS, post({ audience: 'business', count: 2 })],
      ['GET', INVITATIONS, {}],
      ['POST', `${INVITATIONS}/${batchToRevoke}/revoke`, {}],
    ];

    it('answers 401 without a token', async () => {
      for (const [method, path, init] of routes()) {
        const res = await app().request(path, { ...init, method });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
      }
    });

    it('answers 403 for another role or another campaign', async () => {
      const lead = await token(['lead', 'evaluator'], [CAMPAIGN]);
      const other = await token(['admin'], ['another-campaign']);
      for (const [method, path, init] of routes()) {
        expect((await app().request(path, bearer(lead, { ...init, method }))).status, `${method} ${path}`).toBe(403);
        expect((await app().request(path, bearer(other, { ...init, method }))).status, `${method} ${path}`).toBe(403);
      }
    });

    it('answers 2xx for an admin of the campaign or of all campaigns', async () => {
      for (const campaigns of [[CAMPAIGN], ['*']]) {
        const admin = await token(['admin'], campaigns);
        for (const [method, path, init] of routes()) {
          const res = await app().request(path, bearer(admin, { ...init, method }));
          expect(res.status, `${method} ${path}`).toBe(method === 'POST' && path === INVITATIONS ? 201 : 200);
        }
      }
    });
  });

  it('issues links once, lists the batch as issued and unused, and revokes it', async () => {
    // Prepare
    const admin = await token(['admin'], [CAMPAIGN]);

    // Act
    const res = await app().request(
      INVITATIONS,
      bearer(admin, post({ audience: 'business', count: 5, expiresOn: '2027-01-31' })),
    );
    const { batchId, links } = await json(res);
    const listed = await json(await app().request(INVITATIONS, bearer(admin)));
    const revoked = await app().request(`${INVITATIONS}/${batchId}/revoke`, bearer(admin, { method: 'POST' }));

    // Assess
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(links).toHaveLength(5);
    for (const link of links) expect(link).toMatch(/^http:\/\/localhost\/i\/[A-Za-z0-9_-]{32}$/);
    expect(new Set(links).size).toBe(5);
    expect(listed.batches.find((b: { batchId: string }) => b.batchId === batchId)).toEqual({
      batchId,
      audience: 'business',
      createdOn: '2026-11-20',
      expiresOn: '2027-01-31',
      issued: 5,
      used: 0,
      revoked: 0,
      expired: 0,
      open: 5,
    });
    expect(revoked.status).toBe(200);
    expect(await json(revoked)).toMatchObject({ batchId, issued: 5, used: 0, revoked: 5, open: 0 });
  });

  it('keeps plain tokens and recipient data out of the table and the logs', async () => {
    // Prepare
    const admin = await token(['admin'], [CAMPAIGN]);
    const recipients = 'Firma,E-Mail\nTischlerei Kühn,kuehn@tischlerei.example\nMalerbetrieb Ost,ost@maler.example\n';

    // Act
    const { links } = await json(
      await app().request(INVITATIONS, bearer(admin, post({ audience: 'business', count: 2 }))),
    );
    const merged = parse(mergeCsv(recipients, 2, links));
    const scan = await db.doc.send(new ScanCommand({ TableName: db.tableName }));

    // Assess
    expect(merged[1]).toEqual(['Tischlerei Kühn', 'kuehn@tischlerei.example', links[0]]);
    const stored = JSON.stringify(scan.Items);
    const everything = `${stored}\n${logs.join('\n')}`;
    expect(logs.some((line) => line.includes('invitations issued'))).toBe(true);
    for (const link of links as string[]) expect(everything).not.toContain(link.split('/i/')[1]);
    for (const secret of ['Kühn', 'kuehn@', 'Malerbetrieb', 'ost@maler']) expect(everything).not.toContain(secret);
  });

  it('answers 404 for an audience the survey lacks or an unknown batch, 400 for a bad body', async () => {
    const admin = await token(['admin'], [CAMPAIGN]);
    const missing = await app().request(INVITATIONS, bearer(admin, post({ audience: 'multiplier', count: 1 })));
    expect(missing.status).toBe(404);
    expect((await app().request(`${INVITATIONS}/nope/revoke`, bearer(admin, { method: 'POST' }))).status).toBe(404);
    for (const body of [
      { audience: 'public', count: 1 },
      { audience: 'business', count: 0 },
      { audience: 'business', count: 10_001 },
      { audience: 'business', count: 1, expiresOn: '31.01.2027' },
      { audience: 'business', count: 1, extra: true },
    ]) {
      expect((await app().request(INVITATIONS, bearer(admin, post(body)))).status, JSON.stringify(body)).toBe(400);
    }
  });
});
