import { randomBytes, randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonLogger } from '../../functions/lib/logger.js';
import { createBatch, revoke } from '../../shared/data/invitation-store.js';
import { scanResponses } from '../../shared/data/response-store.js';
import type { Db } from '../../shared/data/table.js';
import { tokenHash } from '../../shared/invitations/token.js';
import { miniAnswers, miniInvitedSurvey, miniPagesToEnd } from '../fixtures/mini-survey.js';
import { json, jsonPost, respondAppWith } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';
import { type Choices, formAction, formPost, heading, hiddenValue, open, pageAt, send, walk } from './html-form.js';

const survey = miniInvitedSurvey;

const CREATED = new Date('2026-11-18T08:00:00Z');
const toEnd: Choices[] = miniPagesToEnd;

type App = Awaited<ReturnType<typeof respondAppWith>>['app'];

function submission(invitation: string, answers: object = {}) {
  return jsonPost({
    submissionId: randomUUID(),
    audience: 'business',
    locale: 'de',
    answers: { ...miniAnswers, ...answers },
    invitation,
  });
}

async function countResponses(db: Db): Promise<number> {
  let n = 0;
  for await (const _ of scanResponses(db, survey.id)) n++;
  return n;
}

async function scanAll(db: Db): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(new ScanCommand({ TableName: db.tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

describe('personal invitations (respondent side)', () => {
  let db: Db;
  let app: App;
  const logLines: string[] = [];
  const handedOut: string[] = [];

  async function tokens(count: number, expiresOn?: string) {
    const batch = await createBatch(db, {
      expiresAt: 2_000_000_000,
      surveyId: survey.id,
      audience: 'business',
      count,
      expiresOn,
      now: CREATED,
      randomBytes,
    });
    handedOut.push(...batch.tokens);
    return batch;
  }

  async function token(expiresOn?: string): Promise<string> {
    const [plain = ''] = (await tokens(1, expiresOn)).tokens;
    return plain;
  }

  beforeAll(async () => {
    db = await freshTable();
    ({ app } = await respondAppWith(db, survey, 'w0', { logger: jsonLogger((line) => logLines.push(line)) }));
  });

  describe('JSON API', () => {
    it('stores a submission with a valid token and answers a second one with the same token with 409', async () => {
      // Prepare
      const plain = await token();

      // Act
      const first = await app.request('/api/v1/surveys/mini/responses', submission(plain));
      const second = await app.request('/api/v1/surveys/mini/responses', submission(plain, { grade: 5 }));

      // Assess
      expect(first.status).toBe(201);
      expect(second.status).toBe(409);
      expect(second.headers.get('content-type')).toContain('application/problem+json');
      expect((await json(second)).type).toBe('https://resonanz.dev/problems/invitation-used');
    });

    it('returns 200 for the retry of the submission that used the token', async () => {
      // Prepare
      const plain = await token();
      const body = submission(plain);

      // Act
      const first = await app.request('/api/v1/surveys/mini/responses', body);
      const retry = await app.request('/api/v1/surveys/mini/responses', body);

      // Assess
      expect(first.status).toBe(201);
      expect(retry.status).toBe(200);
    });

    it('accepts exactly one of 20 concurrent submissions with one token', async () => {
      // Prepare
      const plain = await token();
      const before = await countResponses(db);

      // Act
      const results = await Promise.all(
        Array.from({ length: 20 }, () => app.request('/api/v1/surveys/mini/responses', submission(plain))),
      );

      // Assess
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      expect(await countResponses(db)).toBe(before + 1);
    }, 60_000);

    it('answers expired, revoked, unknown, malformed and wrong-audience tokens with their own problems', async () => {
      // Prepare
      const expired = await token('2026-11-19');
      const revokedBatch = await tokens(1);
      await revoke(db, survey.id, { batchId: revokedBatch.batchId });
      const revoked = revokedBatch.tokens[0] ?? '';
      const unknown = randomBytes(24).toString('base64url');
      const wrongAudience = await token();
      const post = (body: RequestInit) => app.request('/api/v1/surveys/mini/responses', body);
      const asPublic = JSON.parse(String(submission(wrongAudience).body));

      // Act
      const results = await Promise.all([
        post(submission(expired)),
        post(submission(revoked)),
        post(submission(unknown)),
        post(submission('not-a-token')),
        post(submission('x'.repeat(65))),
        post(jsonPost({ ...asPublic, audience: 'public' })),
      ]);

      // Assess
      const problems = await Promise.all(results.map((r) => json(r)));
      expect(results.map((r) => r.status)).toEqual([410, 410, 404, 400, 400, 400]);
      expect(problems.map((p) => p.type.replace('https://resonanz.dev/problems/', ''))).toEqual([
        'invitation-expired',
        'invitation-revoked',
        'invitation-not-found',
        'invitation-invalid',
        'validation',
        'invitation-invalid',
      ]);
    });
  });

  describe('HTML pages', () => {
    it('shows the consent page of the invited audience with no-store and no-referrer, in German or English', async () => {
      // Prepare
      const plain = await token();

      // Act
      const de = await open(app, `/i/${plain}`);
      const en = await open(app, `/i/${plain}?lang=en`);

      // Assess
      expect(de.res.status).toBe(200);
      expect(de.res.headers.get('cache-control')).toBe('no-store');
      expect(de.res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(heading(de.html)).toBe('Bürgerinnen und Bürger');
      expect(de.html).toContain('<h2>Einwilligung</h2>');
      expect(formAction(de.html)).toBe(`/i/${plain}`);
      expect(de.html).toContain(`href="/i/${plain}?lang=en"`);
      expect(en.res.status).toBe(200);
      expect(en.html).toContain('<html lang="en">');
      expect(formAction(en.html)).toBe(`/i/${plain}?lang=en`);
    });

    it('stores one response for a walk to the end, and ends a second walk on the "already used" page', async () => {
      // Prepare
      const plain = await token();
      const before = await countResponses(db);

      // Act
      const first = await walk(app, `/i/${plain}`, toEnd);
      const second = await walk(app, `/i/${plain}`, toEnd);

      // Assess
      const end = pageAt(first, -1);
      expect(end.res.status).toBe(200);
      expect(heading(end.html)).toBe('Vielen Dank!');
      expect(await countResponses(db)).toBe(before + 1);
      for (const page of first) {
        expect(hiddenValue(page.html, 'invitation')).toBeUndefined();
        expect(page.html.replaceAll(`/i/${plain}`, '')).not.toContain(plain);
        for (const cookie of page.res.headers.getSetCookie()) expect(cookie).not.toContain(plain);
      }
      expect(second).toHaveLength(1);
      const used = pageAt(second, 0);
      expect(used.res.status).toBe(409);
      expect(used.res.headers.get('cache-control')).toBe('no-store');
      expect(heading(used.html)).toBe('Mit diesem Link wurde bereits geantwortet');
    });

    it('thanks again for a replayed final page, and shows the used page for a different one', async () => {
      // Prepare: two tabs with the same link on the last page, one sends first
      const plain = await token();
      const pages = await walk(app, `/i/${plain}`, toEnd.slice(0, -1));
      const last = pageAt(pages, -1);
      const other = await walk(app, `/i/${plain}`, toEnd.slice(0, -1));
      const before = await countResponses(db);

      // Act
      const sent = await send(app, last, toEnd.at(-1) ?? {});
      const replay = await send(app, last, toEnd.at(-1) ?? {});
      const second = await send(app, pageAt(other, -1), toEnd.at(-1) ?? {});

      // Assess
      expect(sent.res.status).toBe(200);
      expect(replay.res.status).toBe(200);
      expect(heading(replay.html)).toBe('Vielen Dank!');
      expect(second.res.status).toBe(409);
      expect(heading(second.html)).toBe('Mit diesem Link wurde bereits geantwortet');
      expect(await countResponses(db)).toBe(before + 1);
    });

    it('shows its own page and status for malformed, unknown, expired and revoked links', async () => {
      // Prepare
      const expired = await token('2026-11-19');
      const revokedBatch = await tokens(1);
      await revoke(db, survey.id, { batchId: revokedBatch.batchId });
      const unknown = randomBytes(24).toString('base64url');

      // Act
      const pages = await Promise.all([
        open(app, '/i/too-short'),
        open(app, `/i/${unknown}`),
        open(app, `/i/${expired}?lang=en`),
        open(app, `/i/${revokedBatch.tokens[0]}`),
      ]);

      // Assess
      expect(pages.map((p) => p.res.status)).toEqual([400, 404, 410, 410]);
      expect(pages.map((p) => heading(p.html))).toEqual([
        'Dieser Link ist unvollständig',
        'Diese Einladung gibt es nicht',
        'This invitation has expired',
        'Diese Einladung gilt nicht mehr',
      ]);
      for (const { res } of pages) {
        expect(res.headers.get('content-type')).toContain('text/html');
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
    });

    it('refuses a post with a used link before the last page', async () => {
      // Prepare
      const plain = await token();
      const consent = await open(app, `/i/${plain}`);
      await app.request('/api/v1/surveys/mini/responses', submission(plain));

      // Act
      const next = await send(app, consent, { consent: 'self' });

      // Assess
      expect(next.res.status).toBe(409);
      expect(heading(next.html)).toBe('Mit diesem Link wurde bereits geantwortet');
    });
  });

  describe('privacy', () => {
    it('logs a failing personal link by its route pattern, never by its path', async () => {
      // Prepare: a catalog that fails after the token was classified
      const plain = await token();
      const lines: string[] = [];
      const { deps } = await respondAppWith(db, survey, 'w0');
      const failing = {
        ...deps.catalog,
        definition: () => Promise.reject(new Error('catalog down')),
      };
      const { app: broken } = await respondAppWith(db, survey, 'w0', {
        catalog: failing,
        logger: jsonLogger((line) => lines.push(line)),
      });

      // Act
      const get = await broken.request(`/i/${plain}`);
      const post = await broken.request(`/i/${plain}`, formPost(new URLSearchParams({ _section: '0' })));

      // Assess
      expect([get.status, post.status]).toEqual([500, 500]);
      expect(lines.join('\n')).toContain('/i/:token');
      expect(lines.join('\n')).not.toContain(plain);
    });

    it('keeps plain tokens out of the logs and out of the table', async () => {
      // Prepare: the tests above handed out and used tokens through every route
      expect(handedOut.length).toBeGreaterThan(5);
      expect(logLines.length).toBeGreaterThan(0);

      // Act
      const items = (await scanAll(db)).map((item) => JSON.stringify(item));

      // Assess
      const table = items.join('\n');
      const logs = logLines.join('\n');
      for (const plain of handedOut) {
        expect(table).not.toContain(plain);
        expect(logs).not.toContain(plain);
        expect(table).toContain(tokenHash(plain));
      }
    });
  });
});
