import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  type GetCommandInput,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { localClient } from '../../local/dynamodb-local.js';
import { shardOf } from '../../shared/aggregate/contribution.js';
import { rebuildAggregates } from '../../shared/data/aggregate-rebuild.js';
import { readCells, totalOf, verifyAggregates } from '../../shared/data/aggregate-store.js';
import { queryAll } from '../../shared/data/query.js';
import { type RetryPolicy, responseKey, scanResponses } from '../../shared/data/response-store.js';
import { createDb, type Db, keys } from '../../shared/data/table.js';
import { AggregatesBusyError } from '../../shared/errors.js';
import type { StoredResponse } from '../../shared/response/schema.js';
import { addBehindWritePath, cellOf, miniResponse, partitionOf, saveMini } from '../fixtures/mini-response.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';

const shards = miniSurvey.settings.aggregateShards;
const retry: Omit<RetryPolicy, 'retryAfterSeconds'> = {
  attempts: 3,
  baseDelayMs: 1,
  maxDelayMs: 1,
  sleep: async () => {},
  random: () => 0,
};

/** 16 responses over two waves, two cities and both exposure values. */
async function filled(): Promise<Db & { endpoint: string }> {
  const db = await freshTable();
  await Promise.all(
    Array.from({ length: 16 }, (_, i) => {
      const answers = { city: i % 2 ? 'alpha' : 'beta', aided: i % 3 ? 'yes' : 'no', recommend: i % 11 };
      return saveMini(db, miniResponse(i < 10 ? 'w0' : 'w1', i % 3 ? answers : { ...answers, channels: undefined }));
    }),
  );
  return db;
}

async function storedCount(db: Db): Promise<number> {
  let n = 0;
  for await (const _ of scanResponses(db, 'mini')) n++;
  return n;
}

async function aggregateN(db: Db): Promise<number> {
  const waves = await Promise.all(['w0', 'w1'].map((w) => readCells(db, 'mini', w, shards)));
  return waves.reduce((sum, cells) => sum + (totalOf(cells).n ?? 0), 0);
}

describe('rebuildAggregates', () => {
  it('repairs a changed counter, a deleted cell item and a bogus cell, and changes nothing when run again', async () => {
    // Prepare: three kinds of damage, each in its own cell.
    const db = await filled();
    const [changed, removed] = [
      miniResponse('w0', { city: 'elsewhere' }),
      miniResponse('w1', { city: 'elsewhere', aided: 'no' }),
    ];
    await saveMini(db, changed);
    await saveMini(db, removed);
    await addBehindWritePath(db, changed, 'recommend#s', 5);
    await db.doc.send(
      new DeleteCommand({ TableName: db.tableName, Key: { pk: partitionOf(removed), sk: cellOf(removed) } }),
    );
    const bogus = 'business|alpha|_|_|_|_|_';
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: { pk: keys.aggregatePartition('mini', 'w0', 1), sk: bogus, n: 3 },
      }),
    );
    const drift = await verifyAggregates(db, miniSurvey);
    expect(drift).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          waveId: 'w0',
          cell: cellOf(changed),
          counter: 'recommend#s',
          stored: 9 + 5,
          recomputed: 9,
        }),
        expect.objectContaining({ waveId: 'w1', cell: cellOf(removed), counter: 'n', stored: 0, recomputed: 1 }),
        expect.objectContaining({ waveId: 'w0', cell: bogus, counter: 'n', stored: 3, recomputed: 0 }),
      ]),
    );
    expect(new Set(drift.map((d) => d.cell)).size).toBe(3);

    // Act
    const report = await rebuildAggregates(db, miniSurvey, { retry });
    const again = await rebuildAggregates(db, miniSurvey, { retry });

    // Assess
    expect(report.changes).toEqual(
      expect.arrayContaining([
        { waveId: 'w0', shard: shardOf(changed.responseId, shards), cell: cellOf(changed), action: 'rewritten' },
        { waveId: 'w1', shard: shardOf(removed.responseId, shards), cell: cellOf(removed), action: 'created' },
        { waveId: 'w0', shard: 1, cell: bogus, action: 'deleted' },
      ]),
    );
    expect(report).toMatchObject({ rewritten: 1, created: 1, deleted: 1, retried: 0 });
    expect(await verifyAggregates(db, miniSurvey)).toEqual([]);
    expect(await aggregateN(db)).toBe(await storedCount(db));
    expect(again).toEqual({
      rewritten: 0,
      created: 0,
      deleted: 0,
      unchanged: report.unchanged + 2,
      kept: 0,
      retried: 0,
      changes: [],
    });
    expect(again.unchanged).toBeGreaterThan(8);
  });

  it('writes a cell with many counters in parts, n in the first, and removes parts it does not need', async () => {
    // Prepare: one cell and shard with 130 submission days is more than one item part holds. Only
    // the responses are stored (a batch is much faster than 130 transactions): the cell is missing.
    const first = miniResponse('w0', { city: 'beta' }, '2026-01-01');
    const pk = partitionOf(first);
    const days = Array.from({ length: 129 }, (_, day) => {
      let r: StoredResponse;
      do r = miniResponse('w0', { city: 'beta' }, new Date(Date.UTC(2026, 0, 2 + day)).toISOString().slice(0, 10));
      while (partitionOf(r) !== pk);
      return r;
    });
    const db = await freshTable();
    const all = [first, ...days];
    for (let i = 0; i < all.length; i += 25) {
      const batch = all.slice(i, i + 25).map((r) => ({ PutRequest: { Item: { ...responseKey(r), ...r } } }));
      await db.doc.send(new BatchWriteCommand({ RequestItems: { [db.tableName]: batch } }));
    }
    await db.doc.send(new PutCommand({ TableName: db.tableName, Item: { pk, sk: `${cellOf(first)}#p7`, n: 1 } }));

    // Act
    const report = await rebuildAggregates(db, miniSurvey, { retry });

    // Assess
    expect(report).toMatchObject({ rewritten: 1, created: 0, deleted: 0, unchanged: 0 });
    const items = await queryAll(db, pk);
    expect(items.map((i) => i.sk).sort()).toEqual([cellOf(first), `${cellOf(first)}#p1`]);
    expect(items.find((i) => i.sk === cellOf(first))?.n).toBe(130);
    expect(await verifyAggregates(db, miniSurvey)).toEqual([]);
  });

  describe('with responses arriving while it runs', () => {
    let mock: { restore(): void } | undefined;
    afterEach(() => {
      mock?.restore();
      mock = undefined;
    });

    /** A client of the same table whose transactions first let `late()` store a response. */
    function racing(db: Db & { endpoint: string }, late: () => Promise<unknown>): Db {
      const own = createDb(localClient(db.endpoint), db.tableName);
      const stubbed = mockClient(own.doc);
      stubbed.on(QueryCommand).callsFake((input: QueryCommandInput) => db.doc.send(new QueryCommand(input)));
      stubbed.on(GetCommand).callsFake((input: GetCommandInput) => db.doc.send(new GetCommand(input)));
      stubbed.on(TransactWriteCommand).callsFake(async (input: TransactWriteCommandInput) => {
        await late();
        return db.doc.send(new TransactWriteCommand(input));
      });
      mock = stubbed;
      return own;
    }

    it('neither loses nor double-counts a response that lands between reading a cell and rewriting it', async () => {
      // Prepare: a damaged cell, and a response for that very cell and shard that arrives just before its rewrite.
      const db = await filled();
      const lateOne = miniResponse('w0', { city: 'beta', aided: 'yes' });
      await addBehindWritePath(db, lateOne, 'img_modern#s', 7);
      let arrived = false;
      const rebuilding = racing(db, async () => {
        if (!arrived) await saveMini(db, lateOne);
        arrived = true;
      });

      // Act
      const report = await rebuildAggregates(rebuilding, miniSurvey, { retry });

      // Assess: the first write lost to the response and the cell was rebuilt again, with it.
      expect(report.retried).toBe(1);
      expect(report.changes).toEqual([
        { waveId: 'w0', shard: shardOf(lateOne.responseId, shards), cell: cellOf(lateOne), action: 'rewritten' },
      ]);
      expect(await verifyAggregates(db, miniSurvey)).toEqual([]);
      expect(await storedCount(db)).toBe(17);
      expect(await aggregateN(db)).toBe(17);
    });

    it('gives up with AggregatesBusyError when a cell keeps changing, leaving it as it was', async () => {
      // Prepare: a damaged cell that gets a new response before every attempt to rewrite it.
      const db = await filled();
      const cell = miniResponse('w1', { city: 'alpha' });
      await saveMini(db, cell);
      await addBehindWritePath(db, cell, 'age#s', 1);
      const rebuilding = racing(db, async () => {
        let r: StoredResponse;
        do r = miniResponse('w1', { city: 'alpha' });
        while (partitionOf(r) !== partitionOf(cell));
        await saveMini(db, r);
      });

      // Act
      const rebuilt = rebuildAggregates(rebuilding, miniSurvey, { retry });

      // Assess: no response lost, the damage still there for the next run.
      await expect(rebuilt).rejects.toBeInstanceOf(AggregatesBusyError);
      expect(await aggregateN(db)).toBe(await storedCount(db));
      expect(await verifyAggregates(db, miniSurvey)).toEqual([
        expect.objectContaining({ waveId: 'w1', cell: cellOf(cell), counter: 'age#s' }),
      ]);
    });
  });
});
