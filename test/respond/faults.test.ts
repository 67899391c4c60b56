import { randomUUID } from 'node:crypto';
import {
  GetCommand,
  type GetCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { localClient } from '../../local/dynamodb-local.js';
import { readCells, totalOf } from '../../shared/data/aggregate-store.js';
import { type RetryPolicy, scanResponses } from '../../shared/data/response-store.js';
import { createDb, type Db } from '../../shared/data/table.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';
import { json, jsonPost, respondAppWith } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';
import { conflict, throttled, throttledReason } from '../setup/transaction-faults.js';

describe('write path under injected faults', () => {
  let db: Db;
  let app: Awaited<ReturnType<typeof respondAppWith>>['app'];
  let mock: { restore(): void } | undefined;
  let faulty: Db;
  const sleeps: number[] = [];
  const retry: RetryPolicy = {
    attempts: 4,
    baseDelayMs: 10,
    maxDelayMs: 100,
    retryAfterSeconds: 3,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  };

  beforeAll(async () => {
    const table = await freshTable();
    db = table;
    // The app writes through its own client, which gets the faults; checks read through `db`.
    faulty = createDb(localClient(table.endpoint), table.tableName);
    ({ app } = await respondAppWith(db, miniSurvey, 'w0', { retry, db: faulty }));
  });

  afterEach(() => {
    mock?.restore();
    mock = undefined;
    sleeps.length = 0;
  });

  /** A stub on the app's client: reads pass through to DynamoDB Local, transactions as `transact` says. */
  function stub(transact: (input: TransactWriteCommandInput) => Promise<unknown>) {
    const stubbed = mockClient(faulty.doc);
    stubbed.on(GetCommand).callsFake((input: GetCommandInput) => db.doc.send(new GetCommand(input)));
    stubbed.on(TransactWriteCommand).callsFake(transact);
    mock = stubbed;
  }

  /** Faults for the first `failures` transactions, then the real DynamoDB Local. */
  function inject(failures: (() => Error)[]) {
    let call = 0;
    stub(async (input) => {
      const fault = failures[call++];
      if (fault) throw fault();
      return db.doc.send(new TransactWriteCommand(input));
    });
    return () => call;
  }

  const post = (body: object) => app.request('/api/v1/surveys/mini/responses', jsonPost(body));
  const body = () => ({ submissionId: randomUUID(), audience: 'public', answers: { ...miniAnswers, city: 'beta' } });
  async function counts() {
    let responses = 0;
    for await (const _ of scanResponses(db, 'mini')) responses++;
    const total = totalOf(await readCells(db, 'mini', 'w0', miniSurvey.settings.aggregateShards));
    return { responses, n: total.n ?? 0, beta: total['city#o#beta'] ?? 0 };
  }

  it('retries transaction conflicts with jittered backoff and stores once', async () => {
    const before = await counts();
    const calls = inject([conflict, conflict]);
    const res = await post(body());
    expect(res.status).toBe(201);
    expect(calls()).toBe(3);
    expect(sleeps).toEqual([10, 20]);
    const after = await counts();
    expect(after.responses - before.responses).toBe(1);
    expect(after.n - before.n).toBe(1);
  });

  it('answers 503 with Retry-After and writes nothing when throttling outlasts the retries', async () => {
    const before = await counts();
    const calls = inject([throttled, throttledReason, throttled, throttledReason]);
    const res = await post(body());
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await json(res)).type).toMatch(/busy$/);
    expect(calls()).toBe(4);
    expect(await counts()).toEqual(before);
  });

  it('converges to one stored response when the client retries after a 503', async () => {
    const before = await counts();
    const submission = body();
    inject([conflict, conflict, conflict, conflict]);
    expect((await post(submission)).status).toBe(503);
    mock?.restore();
    mock = undefined;
    expect((await post(submission)).status).toBe(201);
    expect((await post(submission)).status).toBe(200);
    const after = await counts();
    expect(after.responses - before.responses).toBe(1);
    expect(after.beta - before.beta).toBe(1);
  });

  it('counts once when the commit succeeded but its answer was lost', async () => {
    const before = await counts();
    const submission = body();
    let lost = false;
    stub(async (input) => {
      const out = await db.doc.send(new TransactWriteCommand(input));
      if (lost) return out;
      lost = true;
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    });
    // Our retry of the timed-out commit finds the stored response: a replay, not a second count.
    const first = await post(submission);
    expect(first.status).toBe(200);
    const retried = await post(submission);
    expect(retried.status).toBe(200);
    const after = await counts();
    expect(after.responses - before.responses).toBe(1);
    expect(after.n - before.n).toBe(1);
  });

  it('answers 503 with Retry-After when reading the definition is throttled', async () => {
    const { app: throttledApp } = await respondAppWith(db, miniSurvey, 'w0', {
      catalog: {
        definition: async () => Promise.reject(throttled()),
        openWave: async () => undefined,
        channels: async () => [],
        quotas: async () => [],
        clear: () => {},
      },
    });
    const res = await throttledApp.request('/api/v1/surveys/mini/responses', jsonPost(body()));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect((await json(res)).type).toMatch(/busy$/);
  });

  it('answers 500 problem without internals for an unexpected storage error', async () => {
    const before = await counts();
    inject([() => Object.assign(new Error('secret internal detail'), { name: 'ValidationException' })]);
    const res = await post(body());
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('secret internal detail');
    expect(text).not.toMatch(/at .*\.ts:\d+/);
    expect(await counts()).toEqual(before);
  });
});
