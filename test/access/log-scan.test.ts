import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLogger } from '../../functions/lib/logger.js';
import { createRespondApp } from '../../functions/respond/app.js';
import { mintDevToken } from '../../local/dev-token.js';
import { createLocalApp } from '../../local/server.js';
import { createCatalog } from '../../shared/data/catalog.js';
import { publishDefinition, setWaveState } from '../../shared/data/survey-store.js';
import { tokenHash } from '../../shared/invitations/token.js';
import { miniAnswers, miniPagesToEnd, miniInvitedSurvey as survey } from '../fixtures/mini-survey.js';
import { heading, pageAt, type Requester, walk } from '../respond/html-form.js';
import { localRuntime } from '../setup/local-runtime.js';
import { failingTransactions, freshTable } from '../setup/table.js';

/** Values that must never reach a log line: what respondents type, and who they are. */
const EMAIL = 'erika.planted@example.org';
const PHONE = '0209 4711 0815';
const IP = '198.51.100.23';
const USER_AGENT = 'PlantedBrowser/7.3 (planted-device-5521)';
const freeText = (n: number) => `Ruf mich an: ${PHONE}, ${EMAIL}, von ${IP} -- Notiz ${n} hfk29xq`;
/** Neither an answer code, a path nor an id anywhere in the code: only a leak could print it. */
const PLANTED_CHANNEL = 'kanal-hfk29xq';

const S = `/api/v1/surveys/${survey.id}`;

/**
 * Every field a log line may have: operational facts only (functions/lib/logger.ts). A new field
 * must be added here on purpose, so an answer, a header or a count of something personal cannot
 * slip into a line without a reviewer reading this list.
 */
const LOG_FIELDS = new Set([
  ...['level', 'message', 'time', 'path', 'error', 'status', 'reason', 'issues'],
  ...['surveyId', 'waveId', 'quotaId', 'code', 'batchId', 'audience', 'count', 'exportId', 'rows', 'file', 'format'],
  // Who did an admin or evaluator action: the token's `sub`, an opaque id in Cognito (accountability).
  'by',
]);
/** A lead's read of a report also names what was asked for: the view, the town filter, weighted or not. */
const READ_FIELDS = new Set([...LOG_FIELDS, 'view', 'city', 'weighted']);

describe('logs of a full run', () => {
  const lines: string[] = [];
  const secrets: string[] = [EMAIL, PHONE, IP, USER_AGENT, PLANTED_CHANNEL, 'hfk29xq'];
  let dir: string;
  let app: Requester;
  let failing: Requester;

  beforeAll(async () => {
    const db = await freshTable();
    await publishDefinition(db, survey);
    await setWaveState(db, survey.id, { waveId: 'w0', state: 'open' });
    const logger = jsonLogger((line) => lines.push(line));
    const devKey = new Uint8Array(randomBytes(32));
    dir = mkdtempSync(join(tmpdir(), 'resonanz-log-scan-'));
    const local = createLocalApp(localRuntime(db, logger), { devKey, exportDir: dir });
    // Every request comes from a browser behind a proxy that names the client: none of it may be logged.
    const planted = (init: RequestInit = {}): RequestInit => ({
      ...init,
      headers: {
        ...(init.headers as Record<string, string> | undefined),
        'user-agent': USER_AGENT,
        'x-forwarded-for': IP,
        'x-real-ip': IP,
        forwarded: `for=${IP}`,
      },
    });
    app = { request: (url, init) => local.request(url, planted(init)) };
    // The respondent function when DynamoDB fails: the error path logs too.
    const broken = createRespondApp({
      db: failingTransactions(db, new Error(`storage down for ${EMAIL}`)),
      catalog: createCatalog(db, { ttlMs: 0 }),
      logger,
      now: () => new Date(),
    });
    failing = { request: (url, init) => broken.request(url, planted(init)) };

    const mint = async (sub: string, role: 'admin' | 'lead' | 'evaluator') => {
      const token = await mintDevToken({ sub, roles: [role], campaigns: [survey.campaign.id] }, devKey, { ttl: '1h' });
      secrets.push(token);
      return token;
    };
    tokens.admin = await mint('admin-1', 'admin');
    tokens.lead = await mint('lead-1', 'lead');
    tokens.evaluator = await mint('evaluator-1', 'evaluator');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const tokens: Record<'admin' | 'lead' | 'evaluator', string> = { admin: '', lead: '', evaluator: '' };
  const as = (role: keyof typeof tokens, init: RequestInit = {}): RequestInit => ({
    ...init,
    headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${tokens[role]}` },
  });
  const json = (body: unknown, method = 'POST'): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const submission = (n: number, extra: object = {}) => ({
    submissionId: randomUUID(),
    audience: 'public',
    channel: PLANTED_CHANNEL,
    locale: 'de',
    answers: { ...miniAnswers, seen_what: freeText(n) },
    ...extra,
  });
  const status = async (res: Response | Promise<Response>) => (await res).status;

  it('runs respondents, invitations, admin, lead and evaluator through every function, and no line holds what was planted', async () => {
    // Admin: personal links for businesses (the only time their tokens leave the system).
    const batch = await app.request(`/api/v1/admin/surveys/${survey.id}/invitations`, {
      ...as('admin', json({ audience: 'business', count: 3 })),
    });
    expect(batch.status).toBe(201);
    const invitations = ((await batch.json()) as { links: string[] }).links.map((link) => link.split('/').at(-1) ?? '');
    secrets.push(...invitations, ...invitations.map(tokenHash));
    expect(await status(app.request(`/api/v1/admin/surveys/${survey.id}/waves`, as('admin')))).toBe(200);

    // Respondents: the JSON API, the HTML form and personal links, each with planted free text.
    for (let n = 0; n < 12; n++) expect(await status(app.request(`${S}/responses`, json(submission(n))))).toBe(201);
    const retry = submission(99);
    expect(await status(app.request(`${S}/responses`, json(retry)))).toBe(201);
    expect(await status(app.request(`${S}/responses`, json(retry)))).toBe(200);
    const conflicting = { ...retry, answers: { ...retry.answers, seen_what: freeText(98) } };
    expect(await status(app.request(`${S}/responses`, json(conflicting)))).toBe(409);
    const invalid = submission(97, { answers: { ...miniAnswers, seen_what: freeText(97), note: EMAIL, age: IP } });
    expect(await status(app.request(`${S}/responses`, json(invalid)))).toBe(400);
    const [byApi = '', byForm = '', unused = ''] = invitations;
    const invited = submission(96, { audience: 'business', invitation: byApi });
    expect(await status(app.request(`${S}/responses`, json(invited)))).toBe(201);
    expect(await status(app.request(`${S}/responses`, json({ ...invited, submissionId: randomUUID() })))).toBe(409);
    const pages = miniPagesToEnd.map((page) => ('seen_what' in page ? { seen_what: freeText(95) } : page));
    const formWalk = await walk(app, `/s/${survey.id}/public?c=${PLANTED_CHANNEL}`, pages);
    expect(heading(pageAt(formWalk, -1).html)).toBe('Vielen Dank!');
    const invitedWalk = await walk(app, `/i/${byForm}`, pages);
    expect(heading(pageAt(invitedWalk, -1).html)).toBe('Vielen Dank!');
    expect(await status(app.request(`/i/${unused.slice(0, -4)}hfk2`))).toBe(404);
    expect(await status(app.request(`/c/${survey.id}/${PLANTED_CHANNEL}`))).toBe(302);
    expect(await status(failing.request(`${S}/responses`, json(submission(94))))).toBe(500);

    // Lead: fieldwork and impact; a forged token and one in the wrong place get nothing.
    expect(await status(app.request(`${S}/fieldwork`, as('lead')))).toBe(200);
    expect(await status(app.request(`${S}/impact`, as('lead')))).toBe(200);
    expect(
      await status(app.request(`${S}/fieldwork`, { headers: { authorization: `Bearer ${byApi}.${EMAIL}` } })),
    ).toBe(401);
    expect(await status(app.request(`${S}/fieldwork?access_token=${tokens.lead}`))).toBe(401);

    // Evaluator: an export with free text scrubbed, polled until done, every file downloaded.
    const started = await app.request(
      `${S}/exports`,
      as('evaluator', json({ format: 'csv', k: 5, freeText: 'scrub' })),
    );
    expect(started.status).toBe(202);
    const { exportId } = (await started.json()) as { exportId: string };
    let record: { status: string; links: { files: string[] } } = { status: 'running', links: { files: [] } };
    for (let i = 0; i < 100 && record.status === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      record = (await (await app.request(`${S}/exports/${exportId}`, as('evaluator'))).json()) as typeof record;
    }
    expect(record.status).toBe('done');
    for (const file of record.links.files) expect(await status(app.request(file, as('evaluator'))), file).toBe(200);
    expect(await status(app.request(`/api/v1/admin/surveys/${survey.id}/exports`, as('admin')))).toBe(200);

    // The log saw the run: every line is one JSON object, and each function spoke.
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const entry of entries)
      for (const field of Object.keys(entry))
        expect(entry.message === 'report read' ? READ_FIELDS : LOG_FIELDS, field).toContain(field);
    const messages = new Set(entries.map((e) => e.message));
    for (const message of [
      'invitations issued',
      'response stored',
      'request failed',
      'export started',
      'export done',
      'export downloaded',
      'report read',
    ])
      expect(messages, message).toContain(message);

    // Nothing planted, no token and nothing shaped like an e-mail, an IP address or a JWT.
    for (const line of lines) {
      for (const secret of secrets) expect(line, 'a planted value reached the log').not.toContain(secret);
      expect(line).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.-]+/);
      expect(line).not.toMatch(/\b\d{1,3}(\.\d{1,3}){3}\b/);
      expect(line).not.toMatch(/eyJ[\w-]+\./);
      expect(line).not.toContain('Ruf mich an');
    }
  });
});
