import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createExportApp } from '../../functions/export/app.js';
import { backgroundDispatcher } from '../../functions/export/worker.js';
import { DEPLOYED_NAMES, type DeployedName } from '../../functions/jobs.js';
import { devKeyAuthenticator } from '../../functions/lib/authenticate.js';
import { silentLogger } from '../../functions/lib/logger.js';
import { createRespondApp } from '../../functions/respond/app.js';
import { runRetention } from '../../functions/retention/run.js';
import { TABLE_ACCESS } from '../../infra/access.js';
import { DEV_AUDIENCE, DEV_ISSUER, mintDevToken } from '../../local/dev-token.js';
import { folderStorage } from '../../local/export-files.js';
import { createCatalog } from '../../shared/data/catalog.js';
import { type ExportRecord, putExportRecord } from '../../shared/data/export-store.js';
import { createBatch } from '../../shared/data/invitation-store.js';
import { publishDefinition, setWaveState } from '../../shared/data/survey-store.js';
import { type Db, keys } from '../../shared/data/table.js';
import { setQuota } from '../../shared/quotas/manage.js';
import { miniResponse, saveMini, submitMini } from '../fixtures/mini-response.js';
import { miniAnswers, miniInvitedSurvey, miniPagesToEnd, miniSurvey } from '../fixtures/mini-survey.js';
import { heading, pageAt, walk } from '../respond/html-form.js';
import { adminAppWith, bearer } from '../setup/admin-app.js';
import { type RecordingDb, recordingDb, type TableCall } from '../setup/dynamo-recorder.js';
import { isAllowed, stringLike } from '../setup/iam-policy.js';
import { REPORT_SURVEY, reportAppWith, seedFieldwork } from '../setup/report-app.js';
import { jsonPost } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';
import { actionsOf, type Statement, statementsOf, synth } from './synth.js';

const NOW = new Date('2026-11-20T10:15:00Z');
const CAMPAIGN = miniSurvey.campaign.id;

const survey = miniInvitedSurvey;

/** An export that said running at 07:30 and never finished: the first read after 08:30 settles it. */
const abandonedExport: ExportRecord = {
  exportId: '6a1d4c8e-2b7f-4e3a-9c5d-1f0e2d3c4b5a',
  surveyId: miniSurvey.id,
  requestedBy: 'evaluator@uni.example',
  requestedAt: '2026-11-20T07:30:00.000Z',
  status: 'running',
  format: 'csv',
  profile: { k: 5, period: 'week', freeText: 'exclude', lang: 'de' },
};

/** A request that must succeed for the scenario to be what it claims; the body says why it did not. */
async function expectStatus(res: Response | Promise<Response>, status: number, what: string): Promise<Response> {
  const answered = await res;
  if (answered.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${answered.status} ${await answered.clone().text()}`);
  }
  return answered;
}

interface Tables {
  /** Not recorded: the scenario's setup, which is not the function's doing. */
  seed: Db & { endpoint: string };
  /** The same table, every call recorded: what the function under test is given. */
  rec: RecordingDb;
}

async function tables(): Promise<Tables> {
  const seed = await freshTable();
  return { seed, rec: recordingDb(seed.endpoint, seed.tableName) };
}

/** A respondent: survey data and pages, public link, invitation, a retry, a full quota group, a closed survey. */
async function respondScenario({ seed, rec }: Tables): Promise<void> {
  await publishDefinition(seed, survey);
  await setWaveState(seed, survey.id, { waveId: 'w0', state: 'open' });
  await publishDefinition(seed, { ...survey, id: 'mini-closed' });
  const { tokens } = await createBatch(seed, {
    expiresAt: 2_000_000_000,
    surveyId: survey.id,
    audience: 'business',
    count: 2,
    now: NOW,
    randomBytes,
  });
  const group = { waveId: 'w0', audience: 'public', city: 'beta' } as const;
  await setQuota(seed, createCatalog(seed, { ttlMs: 0 }), survey, group, { target: 1, whenMet: 'close' }, NOW);
  // The group's one response: a public answer from Beta, stored with its aggregate contribution.
  await saveMini(seed, miniResponse('w0', { city: 'beta' }));

  const app = createRespondApp({
    db: rec,
    catalog: createCatalog(rec, { ttlMs: 0 }),
    logger: silentLogger,
    now: () => NOW,
  });
  const submit = (surveyId: string, body: object) =>
    app.request(`/api/v1/surveys/${surveyId}/responses`, jsonPost({ locale: 'de', answers: miniAnswers, ...body }));
  await expectStatus(app.request(`/api/v1/surveys/${survey.id}`), 200, 'survey');
  const publicLink = { submissionId: randomUUID(), audience: 'public', channel: 'plakat-alpha' };
  await expectStatus(submit(survey.id, publicLink), 201, 'public link');
  await expectStatus(submit(survey.id, publicLink), 200, 'the same submission again');
  const personal = { submissionId: randomUUID(), audience: 'business', invitation: tokens[0] };
  await expectStatus(submit(survey.id, personal), 201, 'invitation');
  // The pages, answered to the end: a public link (the poster's) and a personal link.
  for (const url of [`/s/${survey.id}/public?c=plakat-alpha`, `/i/${tokens[1]}`]) {
    const end = pageAt(await walk(app, url, miniPagesToEnd), -1);
    if (end.res.status !== 200 || heading(end.html) !== 'Vielen Dank!') {
      throw new Error(`${url}: the walk ended on ${end.res.status} "${heading(end.html)}"`);
    }
  }
  const full = { submissionId: randomUUID(), audience: 'public', answers: { ...miniAnswers, city: 'beta' } };
  await expectStatus(submit(survey.id, full), 409, 'full quota group');
  await expectStatus(submit('mini-closed', { submissionId: randomUUID(), audience: 'public' }), 409, 'closed survey');
}

/** An admin: waves, channels with QR codes, invitations, quotas, the export records. */
async function adminScenario({ seed, rec }: Tables): Promise<void> {
  await publishDefinition(seed, survey);
  await putExportRecord(seed, abandonedExport);

  const admin = adminAppWith(rec, createCatalog(rec, { ttlMs: 0 }), () => NOW);
  const token = await admin.token(['admin'], [CAMPAIGN]);
  const call = (path: string, init: RequestInit = {}) =>
    admin.app.request(`/api/v1/admin/surveys/mini${path}`, bearer(token, init));
  const send = (method: string, path: string, body?: object) =>
    call(path, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });

  await expectStatus(call('/waves'), 200, 'list waves');
  await expectStatus(send('POST', '/waves/w0/open'), 200, 'open wave');
  await expectStatus(send('PUT', '/waves/w0/schedule', { closesAt: '2026-12-15T00:00:00+01:00' }), 200, 'schedule');
  await expectStatus(send('POST', '/waves/w0/close'), 200, 'close wave');

  const channel = { code: 'schule-beta', label: { de: 'Schule', en: 'School' }, kind: 'school', city: 'beta' };
  await expectStatus(send('POST', '/channels', channel), 201, 'register channel');
  await expectStatus(call('/channels'), 200, 'list channels');
  await expectStatus(call('/channels/schule-beta/qr.svg'), 200, 'QR code (SVG)');
  await expectStatus(call('/channels/schule-beta/qr.png?audience=business'), 200, 'QR code (PNG)');
  await expectStatus(send('POST', '/channels/schule-beta/disable'), 200, 'retire channel');

  const batch = await expectStatus(send('POST', '/invitations', { audience: 'business', count: 3 }), 201, 'issue');
  const { batchId } = (await batch.json()) as { batchId: string };
  await expectStatus(call('/invitations'), 200, 'list invitations');
  await expectStatus(send('POST', `/invitations/${batchId}/revoke`), 200, 'revoke batch');

  await expectStatus(send('PUT', '/quotas/w0.public.alpha', { target: 3 }), 200, 'set quota');
  await expectStatus(call('/quotas'), 200, 'list quotas');
  await expectStatus(send('DELETE', '/quotas/w0.public.alpha'), 204, 'remove quota');

  await expectStatus(call('/exports'), 200, 'export records');

  // A new version of the survey file: checked, then published.
  const file = (query: string) =>
    call(`/definitions${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: stringify({ ...survey, version: '2' }),
    });
  await expectStatus(file('?dryRun=true'), 200, 'check survey file');
  await expectStatus(file(''), 201, 'publish survey file');
}

/**
 * A lead: fieldwork, impact twice (stored, then served from its snapshot) and who they are. A
 * snapshot of wave w1 made from an older definition, in more chunks than now, is replaced.
 */
async function reportScenario({ seed, rec }: Tables): Promise<void> {
  await seedFieldwork(seed);
  const stale = {
    asOf: '2026-11-01T00:00:00.000Z',
    definitionVersion: '0',
    weighting: 'none',
    settled: false,
    waveFingerprint: 'old',
    chunks: 3,
  };
  const wave = 'w1';
  await seed.doc.send(
    new PutCommand({ TableName: seed.tableName, Item: { ...keys.impactSnapshot(REPORT_SURVEY, wave), ...stale } }),
  );

  const report = reportAppWith(rec);
  const lead = await report.token(['lead']);
  const get = (path: string) => report.app.request(path, bearer(lead));
  await expectStatus(get(`/api/v1/surveys/${REPORT_SURVEY}/fieldwork`), 200, 'fieldwork');
  await expectStatus(get(`/api/v1/surveys/${REPORT_SURVEY}/impact`), 200, 'impact, from the cells');
  await expectStatus(get(`/api/v1/surveys/${REPORT_SURVEY}/impact`), 200, 'impact, from the snapshots');
  await expectStatus(get('/api/v1/reports/me'), 200, 'me');
}

/** An evaluator: start an export, let the worker write it, poll, download; poll an abandoned one. */
async function exportScenario({ seed, rec }: Tables, dir: string): Promise<void> {
  await publishDefinition(seed, miniSurvey);
  await submitMini(seed, 12);
  await putExportRecord(seed, abandonedExport);

  const key = new Uint8Array(randomBytes(32));
  const deps = {
    db: rec,
    catalog: createCatalog(rec, { ttlMs: 0 }),
    logger: silentLogger,
    now: () => NOW,
    storage: folderStorage(dir),
  };
  const runs: Promise<unknown>[] = [];
  const app = createExportApp({
    ...deps,
    authenticate: devKeyAuthenticator(key, DEV_ISSUER, DEV_AUDIENCE),
    dispatch: backgroundDispatcher(deps, (_job, finished) => runs.push(finished)),
  });
  const token = await mintDevToken({ sub: 'evaluator@uni.example', roles: ['evaluator'], campaigns: [CAMPAIGN] }, key, {
    ttl: '1h',
  });
  const base = `/api/v1/surveys/${miniSurvey.id}/exports`;
  const started = await expectStatus(
    app.request(base, bearer(token, jsonPost({ format: 'csv', k: 5 }))),
    202,
    'start export',
  );
  const { exportId } = (await started.json()) as { exportId: string };
  await Promise.all(runs);
  const polled = await expectStatus(app.request(`${base}/${exportId}`, bearer(token)), 200, 'poll');
  expect(await polled.json()).toMatchObject({ status: 'done', rows: 12 });
  await expectStatus(app.request(`${base}/${exportId}/files/data.csv`, bearer(token)), 200, 'download');
  const settled = await expectStatus(
    app.request(`${base}/${abandonedExport.exportId}`, bearer(token)),
    200,
    'abandoned',
  );
  expect(await settled.json()).toMatchObject({ status: 'failed' });
}

/**
 * The weekly retention run: responses past retention that TTL has not reached (deleted), small
 * cells of them pooled, the impact snapshot they fed dropped.
 */
async function retentionScenario({ seed, rec }: Tables): Promise<void> {
  await publishDefinition(seed, miniSurvey);
  for (const city of ['alpha', 'beta', 'beta']) await saveMini(seed, miniResponse('w0', { city }, '2024-03-04'));
  await seed.doc.send(
    new PutCommand({ TableName: seed.tableName, Item: { ...keys.impactSnapshot(miniSurvey.id, 'w0'), chunks: 1 } }),
  );
  // A version published from the console shortened retention from 36 months: a recent response
  // still carries the old rule's expiry, and the run brings it to the new one.
  const before = { ...miniSurvey, settings: { ...miniSurvey.settings, retention: { months: 36 } } };
  await saveMini(seed, miniResponse('w0', { city: 'alpha' }, '2026-05-01', before));
  await seed.doc.send(
    new PutCommand({
      TableName: seed.tableName,
      Item: { ...keys.retentionApplied(miniSurvey.id), rule: "36 months after each response's day" },
    }),
  );
  const run = await runRetention({ db: rec, logger: silentLogger }, new Date('2026-06-01T00:00:00Z'));
  if (run.expiredDeleted !== 3 || run.pooled === 0)
    throw new Error(`retention run did nothing: ${JSON.stringify(run)}`);
}

const describeCall = (c: TableCall) =>
  `${c.action} on ${c.keys.join(', ') || '(no key)'}${c.index ? ` via index ${c.index}` : ''} (${c.command})`;

describe('least privilege', () => {
  const { template, stack, idOf } = synth();
  const table = { 'Fn::GetAtt': [idOf(stack.table), 'Arn'] };
  const statements = Object.fromEntries(
    DEPLOYED_NAMES.map((name) => [name, statementsOf(template, idOf(stack.functions[name].role))]),
  ) as Record<DeployedName, Statement[]>;
  const calls = {} as Record<DeployedName, TableCall[]>;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'resonanz-least-privilege-'));
    const scenarios: Record<DeployedName, (t: Tables) => Promise<void>> = {
      respond: respondScenario,
      admin: adminScenario,
      report: reportScenario,
      export: (t) => exportScenario(t, dir),
      retention: retentionScenario,
    };
    await Promise.all(
      DEPLOYED_NAMES.map(async (name) => {
        const t = await tables();
        await scenarios[name](t);
        calls[name] = t.rec.calls;
      }),
    );
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(DEPLOYED_NAMES)('allows every table call the %s function makes', (name) => {
    expect(calls[name].length, name).toBeGreaterThan(0);
    const denied = calls[name].filter((c) => !isAllowed(statements[name], table, c)).map(describeCall);
    expect([...new Set(denied)], `${name}: calls its policy denies`).toEqual([]);
  });

  it.each(DEPLOYED_NAMES)('grants the %s function nothing it does not use', (name) => {
    const unused = TABLE_ACCESS[name].flatMap(({ actions, keys: patterns }) =>
      actions.flatMap((action) =>
        patterns
          .filter((p) => !calls[name].some((c) => c.action === action && c.keys.some((k) => stringLike(p, k))))
          .map((p) => `${action} on ${p}`),
      ),
    );
    expect(unused, `${name}: grants no call of the scenario needed`).toEqual([]);
  });

  it('lets no function scan, use an index, act on the table itself, or hold a wildcard action', () => {
    // Without a leading key, `ForAllValues` holds over the empty set: only the action can stop these.
    const tableWide = ['Scan', 'DeleteTable', 'UpdateTable', 'ExecuteStatement', 'PartiQLSelect', 'DescribeTable'];
    for (const name of DEPLOYED_NAMES) {
      for (const action of tableWide) {
        expect(
          isAllowed(statements[name], table, { action: `dynamodb:${action}`, keys: [], command: action }),
          `${name} ${action}`,
        ).toBe(false);
      }
      const viaIndex = { action: 'dynamodb:Query', keys: ['SURVEY#mini'], index: 'byState', command: 'Query' };
      expect(isAllowed(statements[name], table, viaIndex), `${name} index`).toBe(false);
      const wildcards = statements[name].flatMap(actionsOf).filter((a) => a.includes('*'));
      expect(wildcards, name).toEqual([]);
    }
  });

  it('lets only the export function read responses in bulk, the retention run delete them, and the respondent read one by its key', () => {
    const response = keys.responsePartition(miniSurvey.id, 3);
    const holders = (action: string) =>
      DEPLOYED_NAMES.filter((name) =>
        isAllowed(statements[name], table, { action, keys: [response], command: action }),
      );
    // The retention run queries responses for their keys, wave and expiresAt only (test/retention/run.test.ts).
    expect(holders('dynamodb:Query')).toEqual(['export', 'retention']);
    expect(holders('dynamodb:BatchGetItem')).toEqual([]);
    // A retried submission is answered with the response it stored (its key comes from the
    // submission id), and a full quota group lets through the retry of an earlier submission.
    expect(holders('dynamodb:GetItem')).toEqual(['respond']);
    expect(holders('dynamodb:DeleteItem')).toEqual(['retention']);
    expect(holders('dynamodb:PutItem')).toEqual(['respond']);
  });
});
