import { randomBytes, randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../functions/lib/logger.js';
import type { Runtime } from '../../functions/lib/runtime.js';
import { localClient } from '../../local/dynamodb-local.js';
import { seededRandom } from '../../local/random.js';
import { createLocalApp, type LocalServer, serveLocal } from '../../local/server.js';
import { readCells, totalOf, verifyAggregates } from '../../shared/data/aggregate-store.js';
import { createCatalog } from '../../shared/data/catalog.js';
import { getResponse, type RetryPolicy, scanResponses } from '../../shared/data/response-store.js';
import { publishDefinition, setWaveState } from '../../shared/data/survey-store.js';
import { createDb, type Db } from '../../shared/data/table.js';
import { responseIdFor } from '../../shared/response/build.js';
import { miniAnswers, miniPagesToEnd, miniSurvey } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';
import {
  conflict,
  faultsAtRate,
  faultsInOrder,
  injectTransactionFaults,
  noFaults,
  TRANSACTION_FAULTS,
  type TransactionFaults,
  throttled,
  throttledReason,
  throttling,
} from '../setup/transaction-faults.js';
import { heading, hiddenValue, type Page, pageAt, type Requester, send, walk } from './html-form.js';

/**
 * Throttling and transaction conflicts as a respondent's browser meets them: through the local
 * server over a real socket, with the faults injected into the respondent's DynamoDB client just
 * before a `TransactWriteItems` would leave it. Every other call, and every transaction let through,
 * reaches DynamoDB Local.
 */
describe('respondent writes under injected faults, over HTTP', () => {
  const seed = Number(process.env.FAULT_SEED ?? 20_261_204);
  // Short, so faults outlast it quickly; jitter seeded like the faults.
  const retry: RetryPolicy = {
    attempts: 2,
    baseDelayMs: 5,
    maxDelayMs: 40,
    retryAfterSeconds: 1,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: seededRandom(seed + 1),
  };
  /** How long a client waits per second of Retry-After: scaled down so the test stays fast. */
  const MS_PER_RETRY_AFTER_SECOND = 20;
  let table: Db & { endpoint: string };
  let client: DynamoDBClient;
  let faults: TransactionFaults;
  let server: LocalServer;

  beforeAll(async () => {
    table = await freshTable();
    await publishDefinition(table, miniSurvey);
    await setWaveState(table, 'mini', { waveId: 'w0', state: 'open' });
    // The server's own client, armed; the checks below read through `table`'s untouched one.
    client = localClient(table.endpoint);
    faults = injectTransactionFaults(client);
    const db = createDb(client, table.tableName);
    const runtime: Runtime = { client, db, catalog: createCatalog(db, { ttlMs: 0 }), logger: silentLogger };
    const app = createLocalApp(runtime, { devKey: new Uint8Array(randomBytes(32)), writeRetry: retry });
    server = await serveLocal(app, { port: 0, host: '127.0.0.1' });
  });

  afterEach(() => {
    faults.plan(noFaults);
  });

  afterAll(async () => {
    await server?.close();
    client?.destroy();
  });

  const body = (city = 'beta', submissionId: string = randomUUID()) => ({
    submissionId,
    audience: 'public',
    answers: { ...miniAnswers, city },
  });

  function post(submission: object): Promise<Response> {
    return fetch(`${server.url}/api/v1/surveys/mini/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(submission),
    });
  }

  /** What a 503 must carry for a client to come back: anything amiss, in words (empty when all is well). */
  async function busyProblems(res: Response): Promise<string[]> {
    const problems: string[] = [];
    const retryAfter = res.headers.get('retry-after') ?? '';
    if (!/^[1-9]\d*$/.test(retryAfter)) problems.push(`Retry-After "${retryAfter}"`);
    const type = res.headers.get('content-type') ?? '';
    if (!type.includes('application/problem+json')) problems.push(`content-type "${type}"`);
    const problem = (await res.json()) as { status?: number; type?: string };
    if (problem.status !== 503 || !/busy$/.test(problem.type ?? '')) problems.push(JSON.stringify(problem));
    return problems;
  }

  /** A client that sends the same body until it is stored, waiting as each 503's Retry-After says. */
  async function submitUntilStored(submission: object, maxTries = 20) {
    const statuses: number[] = [];
    const problems: string[] = [];
    for (let i = 0; i < maxTries; i++) {
      const res = await post(submission);
      statuses.push(res.status);
      if (res.status !== 503) {
        await res.arrayBuffer();
        break;
      }
      const seconds = Number(res.headers.get('retry-after'));
      problems.push(...(await busyProblems(res)));
      await new Promise((resolve) => setTimeout(resolve, seconds * MS_PER_RETRY_AFTER_SECOND));
    }
    return { statuses, problems };
  }

  const stored = (submissionId: string) => getResponse(table, 'mini', responseIdFor('mini', submissionId));

  /** Responses stored, and the `n` of the open wave's aggregate. */
  async function counts() {
    let responses = 0;
    for await (const _ of scanResponses(table, 'mini')) responses++;
    const n = totalOf(await readCells(table, 'mini', 'w0', miniSurvey.settings.aggregateShards)).n ?? 0;
    return { responses, n };
  }

  async function expectConsistent(expectedResponses: number) {
    const after = await counts();
    expect(after).toEqual({ responses: expectedResponses, n: expectedResponses });
    expect(await verifyAggregates(table, miniSurvey)).toEqual([]);
  }

  it.each([
    ['a TransactionConflict cancellation', conflict],
    ['a ThrottlingError cancellation', throttledReason],
    ['ProvisionedThroughputExceededException', throttled],
    ['ThrottlingException', throttling],
  ] as const)(
    'answers 503 problem+json with Retry-After when %s outlasts the retries, and the resend is stored once',
    async (_name, fault) => {
      // Prepare
      const before = await counts();
      const submission = body();
      const attempts = faults.attempts;
      faults.plan(faultsInOrder(Array.from({ length: retry.attempts }, () => fault)));

      // Act
      const busy = await post(submission);

      // Assess: told to come back, nothing written.
      expect(busy.status).toBe(503);
      expect(await busyProblems(busy)).toEqual([]);
      expect(faults.attempts - attempts).toBe(retry.attempts);
      expect(await stored(submission.submissionId)).toBeUndefined();
      expect(await counts()).toEqual(before);

      // Act: the faults have passed; the client sends the same body again, and once more.
      const resent = await post(submission);
      const again = await post(submission);

      // Assess
      expect(resent.status).toBe(201);
      expect(again.status).toBe(200);
      expect(await stored(submission.submissionId)).toBeDefined();
      await expectConsistent(before.responses + 1);
    },
  );

  it('converges to one stored response when faults come and go while the client retries', async () => {
    // Prepare: two requests' worth of faults (each outlasts the retries), then one that does not.
    const before = await counts();
    const submission = body();
    faults.plan(faultsInOrder([conflict, throttling, throttled, throttledReason, conflict]));

    // Act
    const { statuses, problems } = await submitUntilStored(submission);
    const replay = await post(submission);

    // Assess
    expect(statuses).toEqual([503, 503, 201]);
    expect(problems).toEqual([]);
    expect(replay.status).toBe(200);
    expect(await stored(submission.submissionId)).toBeDefined();
    await expectConsistent(before.responses + 1);
  });

  it('stores each of 50 parallel submissions exactly once with 30% of transaction attempts failing', async () => {
    // Prepare
    const before = await counts();
    // Ids fixed by the index: faults follow each transaction's key, so the seed decides the whole run.
    const idOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const submissions = Array.from({ length: 50 }, (_, i) => body(i % 2 ? 'alpha' : 'beta', idOf(i)));
    const injected = faults.injected;
    faults.plan(faultsAtRate(0.3, seed));

    // Act: every client at once, each retrying on 503 as told.
    const outcomes = await Promise.all(submissions.map((s) => submitUntilStored(s)));

    // Assess: every client ends with 201, having seen nothing but 503 on the way; all counted once.
    const statuses = outcomes.flatMap((o) => o.statuses);
    expect(
      outcomes.map((o) => o.statuses.at(-1)).filter((s) => s !== 201),
      `seed ${seed}`,
    ).toEqual([]);
    expect(
      statuses.filter((s) => s !== 201 && s !== 503),
      `seed ${seed}`,
    ).toEqual([]);
    expect(outcomes.flatMap((o) => o.problems)).toEqual([]);
    // Some faults outlasted the server's retries, so clients did come back.
    expect(faults.injected - injected).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 503).length, `seed ${seed}`).toBeGreaterThan(0);
    console.info(`seed ${seed}: ${statuses.filter((s) => s === 503).length} answers 503 before a 201`);
    for (const s of submissions) expect(await stored(s.submissionId), s.submissionId).toBeDefined();
    await expectConsistent(before.responses + submissions.length);
  });

  /** A browser: follows nothing, keeps the cookies the server sets and sends them back. */
  function browser(): Requester {
    const jar = new Map<string, string>();
    return {
      async request(url, init = {}) {
        const headers = new Headers(init.headers);
        if (jar.size > 0) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
        const res = await fetch(new URL(url, server.url), { ...init, headers, redirect: 'manual' });
        for (const cookie of res.headers.getSetCookie()) {
          const [pair = ''] = cookie.split(';');
          const at = pair.indexOf('=');
          const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
          if (value === '' || /;\s*max-age=0\b/i.test(cookie)) jar.delete(name);
          else jar.set(name, value);
        }
        return res;
      },
    };
  }

  it('keeps the answers of the form in a 503 page when faults outlast the retries, and stores them on resend', async () => {
    // Prepare: a respondent at the last page of the form.
    const before = await counts();
    const respondent = browser();
    const pages = await walk(respondent, '/s/mini/public', miniPagesToEnd.slice(0, -1));
    const last = pageAt(pages, -1);
    expect(heading(last.html)).toBe('Zu Ihnen');
    faults.plan(faultsInOrder(Array.from({ length: retry.attempts }, (_, i) => TRANSACTION_FAULTS[i % 4] ?? conflict)));

    // Act
    const busy: Page = await send(respondent, last, { city: 'alpha', age: '17' });

    // Assess: the last page again, saying so, with every answer still in the form; nothing stored.
    expect(busy.res.status).toBe(503);
    expect(busy.res.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(busy.res.headers.get('content-type')).toContain('text/html');
    expect(heading(busy.html)).toBe('Zu Ihnen');
    expect(busy.html).toContain('Bitte senden Sie die Seite in ein paar Sekunden noch einmal ab');
    expect(busy.html).toMatch(/value="alpha" checked=""/);
    expect(busy.html).toContain('value="17"');
    expect(hiddenValue(busy.html, 'seen_what')).toBe(miniAnswers.seen_what);
    const submissionId = hiddenValue(busy.html, '_sid');
    expect(submissionId).toBe(hiddenValue(last.html, '_sid'));
    expect(await counts()).toEqual(before);

    // Act: the faults have passed; the respondent sends the page again as it stands.
    const thanks = await send(respondent, busy, {});

    // Assess: thanked, and the answers given are the ones stored, once.
    expect(thanks.res.status).toBe(200);
    expect(heading(thanks.html)).toBe('Vielen Dank!');
    expect((await stored(submissionId as string))?.answers).toEqual(miniAnswers);
    await expectConsistent(before.responses + 1);
  });
});
