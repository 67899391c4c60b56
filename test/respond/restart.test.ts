import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { readCells, totalOf, verifyAggregates } from '../../shared/data/aggregate-store.js';
import { createCatalog } from '../../shared/data/catalog.js';
import { getResponse, type RetryPolicy } from '../../shared/data/response-store.js';
import { createDb, ensureTable } from '../../shared/data/table.js';
import { responseIdFor } from '../../shared/response/build.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';
import { jsonPost, respondAppWith } from '../setup/respond-app.js';

/**
 * DynamoDB Local on disk, killed while submissions are in flight and started again on the same files
 * and port: what a restarted or crashed database does to a load run.
 *
 * SIGTERM (the default of `kill`, what a restart does) lets Java shut down: every 201 must survive.
 * SIGKILL gives it no chance to: DynamoDB Local then loses writes it had already acknowledged
 * (1 of the 10 answered before the kill in each of three trial runs; DynamoDB itself acknowledges only
 * durable writes). What must hold even then is ours: no response without its counts or counts without
 * the response (verify finds no drift), the outage answered 503 with Retry-After and never 500, and
 * retries of the failed submissions converging to one stored response each.
 */
describe('submissions across a DynamoDB Local crash and restart', () => {
  let dir: string;
  let dynamo: DynamoDbLocal;
  let client: DynamoDBClient;
  const retry: RetryPolicy = {
    attempts: 3,
    baseDelayMs: 20,
    maxDelayMs: 200,
    retryAfterSeconds: 2,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'resonanz-restart-'));
    dynamo = await startDynamoDbLocal({ dataDir: dir });
    // One client for the whole test, as a function keeps one: it must work again after the restart.
    client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000 },
    });
  }, 60_000);

  afterAll(async () => {
    client?.destroy();
    await dynamo?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A table of its own per case, and the respondent app on it. */
  async function setUp(name: string) {
    const db = createDb(client, name);
    await ensureTable(client, db.tableName);
    // The definition and waves are cached as in a running function, so the outage hits the writes.
    const { app } = await respondAppWith(db, miniSurvey, 'w0', {
      retry,
      catalog: createCatalog(db, { ttlMs: 60_000 }),
    });
    return { db, app };
  }

  const submitTo = (app: Awaited<ReturnType<typeof setUp>>['app']) => async (submissionId: string) => {
    const res = await app.request(
      '/api/v1/surveys/mini/responses',
      jsonPost({ submissionId, audience: 'public', answers: miniAnswers }),
    );
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
  };

  it.each([
    ['SIGTERM', true],
    ['SIGKILL', false],
  ] as const)(
    'on %s keeps every 201 exactly once (if the database is durable), leaves nothing half-written, and lets retries converge',
    async (signal, durable) => {
      const { db, app } = await setUp(`restart-${signal}`);
      const submit = submitTo(app);
      // Prepare: 40 stored before the crash, then 60 in flight at 6 at a time while it happens.
      const before = Array.from({ length: 40 }, () => randomUUID());
      const during = Array.from({ length: 60 }, () => randomUUID());
      const after = Array.from({ length: 40 }, () => randomUUID());
      for (const id of before) expect((await submit(id)).status).toBe(201);

      // Act: kill the database after the 10th answer of the second batch, restart it on the same
      // files and port once the batch has drained, then submit more.
      const outcomes = new Map<string, Awaited<ReturnType<ReturnType<typeof submitTo>>>>();
      let answered = 0;
      let killed: Promise<unknown> | undefined;
      let next = 0;
      await Promise.all(
        Array.from({ length: 6 }, async () => {
          while (next < during.length) {
            const id = during[next++] as string;
            outcomes.set(id, await submit(id));
            if (++answered === 10) {
              killed = once(dynamo.process, 'exit');
              dynamo.process.kill(signal);
            }
          }
        }),
      );
      await killed;
      dynamo = await startDynamoDbLocal({ dataDir: dir, port: dynamo.port });
      for (const id of after) expect((await submit(id)).status).toBe(201);

      // Assess: every answer is 201 or 503 with Retry-After (the outage is "not now"), never a 500.
      const statuses = [...outcomes.values()];
      expect(statuses.filter((o) => o.status === 201).length).toBeGreaterThanOrEqual(10);
      expect(statuses.some((o) => o.status === 503)).toBe(true);
      for (const o of statuses) {
        expect([201, 503], o.body).toContain(o.status);
        if (o.status === 503) expect(o.retryAfter).toBe('2');
      }
      // Every 201 is stored; the database holds no response without its counts (verify: no drift).
      const stored = async (id: string) => getResponse(db, 'mini', responseIdFor('mini', id));
      for (const id of [...before, ...after]) expect(await stored(id), id).toBeDefined();
      if (durable) for (const [id, o] of outcomes) if (o.status === 201) expect(await stored(id), id).toBeDefined();
      expect(await verifyAggregates(db, miniSurvey)).toEqual([]);

      // Act: the clients whose submission failed send it again with the same submissionId.
      const failed = [...outcomes].filter(([, o]) => o.status !== 201).map(([id]) => id);
      for (const id of failed) expect([200, 201]).toContain((await submit(id)).status);

      // Assess: one response per submission, each counted once (on SIGKILL: per surviving submission).
      const all = [...before, ...during, ...after];
      const present = (await Promise.all(all.map(stored))).filter(Boolean).length;
      for (const id of [...before, ...after, ...failed]) expect(await stored(id), id).toBeDefined();
      if (durable) expect(present).toBe(all.length);
      expect(totalOf(await readCells(db, 'mini', 'w0', miniSurvey.settings.aggregateShards)).n).toBe(present);
      expect(await verifyAggregates(db, miniSurvey)).toEqual([]);
    },
    120_000,
  );
});
