import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  type GetCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClient } from '../../local/dynamodb-local.js';
import { rebuildAggregates } from '../../shared/data/aggregate-rebuild.js';
import { readCells, totalOf, verifyAggregates } from '../../shared/data/aggregate-store.js';
import { type RetryPolicy, scanResponses } from '../../shared/data/response-store.js';
import { createDb, type Db } from '../../shared/data/table.js';
import { responseIdFor } from '../../shared/response/build.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';
import { jsonPost, respondAppWith } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

const cancelled = (code: string) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'None' }, { Code: code }],
  });
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });

/** What goes wrong for a submission: before its transaction commits, or (timeout) after. */
type Fault = 'conflict' | 'throttled twice' | 'timeout after commit' | 'none';
const FAULTS: Fault[] = ['conflict', 'throttled twice', 'timeout after commit', 'none'];

describe('aggregates after concurrent submissions, replays and faults', () => {
  let db: Db;
  let mock: { restore(): void } | undefined;
  let app: Awaited<ReturnType<typeof respondAppWith>>['app'];
  const faults = new Map<string, Fault>();
  const attempts = new Map<string, number>();
  const retry: RetryPolicy = {
    attempts: 4,
    baseDelayMs: 1,
    maxDelayMs: 5,
    retryAfterSeconds: 1,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
  };

  beforeAll(async () => {
    const table = await freshTable();
    db = table;
    // The app writes through its own client, whose transactions get each submission's fault.
    const faulty = createDb(localClient(table.endpoint), table.tableName);
    const stubbed = mockClient(faulty.doc);
    stubbed.on(GetCommand).callsFake((input: GetCommandInput) => db.doc.send(new GetCommand(input)));
    stubbed.on(TransactWriteCommand).callsFake(async (input: TransactWriteCommandInput) => {
      const responseId = String(input.TransactItems?.[0]?.Put?.Item?.responseId);
      const attempt = (attempts.get(responseId) ?? 0) + 1;
      attempts.set(responseId, attempt);
      const fault = faults.get(responseId) ?? 'none';
      if (fault === 'conflict' && attempt === 1) throw cancelled('TransactionConflict');
      if (fault === 'throttled twice' && attempt === 1) throw throttled();
      if (fault === 'throttled twice' && attempt === 2) throw cancelled('ThrottlingError');
      const out = await db.doc.send(new TransactWriteCommand(input));
      if (fault === 'timeout after commit' && attempt === 1) {
        throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      }
      return out;
    });
    mock = stubbed;
    ({ app } = await respondAppWith(db, miniSurvey, 'w0', { retry, db: faulty }));
  });

  afterAll(() => mock?.restore());

  it('counts each of 60 submissions once in its cell and shard, so verify finds zero drift', async () => {
    // Prepare: 60 submissions over 6 cells (city x exposure), each with one kind of fault, and 20
    // of them sent twice at the same time (a client retrying while its first request still runs).
    const unique = Array.from({ length: 60 }, (_, i) => {
      const submissionId = randomUUID();
      faults.set(responseIdFor('mini', submissionId), FAULTS[i % FAULTS.length] ?? 'none');
      const aided = i % 2 ? 'yes' : 'no';
      return {
        submissionId,
        audience: 'public',
        answers: {
          ...miniAnswers,
          city: ['alpha', 'beta', 'elsewhere'][i % 3],
          aided,
          channels: aided === 'yes' ? ['poster'] : undefined,
          recommend: i % 11,
        },
      };
    });
    const post = (body: object) => app.request('/api/v1/surveys/mini/responses', jsonPost(body));

    // Act: all at once, then 10 late retries of stored submissions.
    const sent = [...unique, ...unique.slice(0, 20)];
    const statuses = await Promise.all(sent.map(async (b) => (await post(b)).status));
    const late = await Promise.all(unique.slice(30, 40).map(async (b) => (await post(b)).status));

    // Assess
    // Every request is answered as stored: 201 for the one that stored it, 200 for replays.
    expect(statuses.every((s) => s === 201 || s === 200)).toBe(true);
    // Never two 201s for one submission. One 201 each, except where the commit's answer was lost:
    // then its own retry replays (200), unless its racing twin committed first and got the 201
    // (which of the two wins is up to the scheduler, so those may have none or one).
    for (const [i, b] of unique.entries()) {
      const created = sent.filter((x, j) => x === b && statuses[j] === 201).length;
      const fault = faults.get(responseIdFor('mini', b.submissionId));
      if (fault === 'timeout after commit') expect(created, `submission ${i}`).toBeLessThanOrEqual(1);
      else expect(created, `submission ${i} (${fault})`).toBe(1);
    }
    expect(late).toEqual(Array(10).fill(200));
    expect([...attempts.values()].some((a) => a > 1)).toBe(true);
    let stored = 0;
    for await (const _ of scanResponses(db, 'mini')) stored++;
    expect(stored).toBe(60);
    const total = totalOf(await readCells(db, 'mini', 'w0', miniSurvey.settings.aggregateShards));
    expect(total.n).toBe(60);
    expect(total['recommend#s']).toBe(unique.reduce((sum, s) => sum + s.answers.recommend, 0));
    expect(await verifyAggregates(db, miniSurvey)).toEqual([]);
    // A rebuild finds nothing to do: every cell of every shard already equals the recomputation.
    const rebuilt = await rebuildAggregates(db, miniSurvey);
    expect(rebuilt).toMatchObject({ rewritten: 0, created: 0, deleted: 0, retried: 0, changes: [] });
    expect(rebuilt.unchanged).toBeGreaterThanOrEqual(6);
  }, 60_000);
});
