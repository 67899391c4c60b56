import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { type Counters, cellKey, shardOf } from '../aggregate/contribution.js';
import { StorageBusyError, StoredItemInvalidError, SubmissionConflictError } from '../errors.js';
import { StoredResponse } from '../response/schema.js';
import { counterParts, partSortKey } from './aggregate-layout.js';
import { queryPages } from './query.js';
import { type Db, keys, RESPONSE_SHARDS } from './table.js';
import { backoffDelay, cancellationReasons, isRetryableWriteError } from './transient.js';

export interface RetryPolicy {
  /** Attempts in total, including the first. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Seconds a client is told to wait after the last attempt failed. */
  retryAfterSeconds: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 6,
  baseDelayMs: 20,
  maxDelayMs: 800,
  retryAfterSeconds: 2,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

export type SaveOutcome = { status: 'created' | 'replayed'; response: StoredResponse };

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Conditional writes that must happen together with a new response (e.g. consuming an invitation).
 * When one of their conditions fails the response is not stored and `onConditionFailed` supplies the
 * error to throw; a retried submission whose response already exists is a replay and writes none of
 * them again.
 */
export interface GuardedItems {
  items: TransactItem[];
  onConditionFailed: () => Promise<Error>;
}

/** DynamoDB's limit on the items of one TransactWriteItems. */
export const MAX_TRANSACT_ITEMS = 100;

/** Key of a stored response item. */
export function responseKey(response: Pick<StoredResponse, 'surveyId' | 'responseId'>) {
  return {
    pk: keys.responsePartition(response.surveyId, shardOf(response.responseId, RESPONSE_SHARDS)),
    sk: response.responseId,
  };
}

/** Splits counters into update expressions (one per aggregate item part). */
export function aggregateUpdates(counters: Counters) {
  return counterParts(counters).map((part) => {
    const names: Record<string, string> = {};
    const values: Record<string, number> = {};
    const terms = Object.entries(part).map(([name, value], k) => {
      names[`#c${k}`] = name;
      values[`:c${k}`] = value;
      return `#c${k} :c${k}`;
    });
    return { names, values, expression: `ADD ${terms.join(', ')}` };
  });
}

/** The aggregate partition (wave and shard) a response counts in. */
export function aggregatePartitionOf(
  response: Pick<StoredResponse, 'surveyId' | 'waveId' | 'responseId'>,
  aggregateShards: number,
): string {
  return keys.aggregatePartition(response.surveyId, response.waveId, shardOf(response.responseId, aggregateShards));
}

/**
 * The updates that `ADD` counters to a response's aggregate cell, one per item part: the response's
 * contribution when it is stored, the same negated when it is deleted.
 */
export function cellUpdateItems(
  db: Db,
  response: StoredResponse,
  counters: Counters,
  aggregateShards: number,
): TransactItem[] {
  const cell = cellKey(response.audience, response.dimensions);
  return cellAddItems(db, aggregatePartitionOf(response, aggregateShards), cell, counters);
}

/** The updates that `ADD` counters to one cell in one aggregate partition, one per item part. */
export function cellAddItems(db: Db, pk: string, cell: string, counters: Counters): TransactItem[] {
  return aggregateUpdates(counters).map((u, part) => ({
    Update: {
      TableName: db.tableName,
      Key: { pk, sk: partSortKey(cell, part) },
      UpdateExpression: u.expression,
      ExpressionAttributeNames: u.names,
      ExpressionAttributeValues: u.values,
    },
  }));
}

/**
 * The items of a response's transaction: the response `Put`, guarded so it is stored once, and
 * the `ADD` of its counters to its aggregate cell, split into parts as `aggregateUpdates` says.
 */
export function responseTransactItems(
  db: Db,
  response: StoredResponse,
  counters: Counters,
  aggregateShards: number,
): TransactItem[] {
  return [
    {
      Put: {
        TableName: db.tableName,
        Item: { ...responseKey(response), ...response },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...cellUpdateItems(db, response, counters, aggregateShards),
  ];
}

/**
 * Stores a response and adds its counters to its aggregate cell in one transaction: either both
 * happen or neither. A response that already exists is not counted again; its stored form is
 * returned (a replay) unless the answers differ (a conflict).
 */
export async function saveResponse(
  db: Db,
  response: StoredResponse,
  counters: Counters,
  aggregateShards: number,
  retry: RetryPolicy = defaultRetryPolicy,
  guarded?: GuardedItems,
): Promise<SaveOutcome> {
  const own = responseTransactItems(db, response, counters, aggregateShards);
  const items: TransactItem[] = [...own, ...(guarded?.items ?? [])];
  if (items.length > MAX_TRANSACT_ITEMS) {
    throw new RangeError(`a response transaction has ${items.length} items, DynamoDB allows ${MAX_TRANSACT_ITEMS}`);
  }
  const firstGuarded = own.length;
  const command = new TransactWriteCommand({ TransactItems: items });

  for (let attempt = 1; ; attempt++) {
    try {
      await db.doc.send(command);
      return { status: 'created', response };
    } catch (error) {
      const reasons = cancellationReasons(error);
      // The response exists: a replay, whatever the guarded items say (a retry must not be told that
      // the invitation it used a moment ago is used).
      if (reasons?.[0]?.Code === 'ConditionalCheckFailed') return replay(db, response);
      if (guarded && reasons?.slice(firstGuarded).some((r) => r.Code === 'ConditionalCheckFailed')) {
        // Should a store report only the first failed condition, a replay still wins.
        if (await getResponse(db, response.surveyId, response.responseId)) return replay(db, response);
        throw await guarded.onConditionFailed();
      }
      if (!isRetryableWriteError(error)) throw error;
      if (attempt >= retry.attempts) throw new StorageBusyError(retry.retryAfterSeconds, { cause: error });
      await retry.sleep(backoffDelay(retry, attempt));
    }
  }
}

async function replay(db: Db, attempted: StoredResponse): Promise<SaveOutcome> {
  const existing = await getResponse(db, attempted.surveyId, attempted.responseId);
  if (!existing) throw new StorageBusyError(1);
  if (existing.fingerprint !== attempted.fingerprint) throw new SubmissionConflictError();
  return { status: 'replayed', response: existing };
}

function parseResponse(item: Record<string, unknown>): StoredResponse {
  const { pk: _pk, sk: _sk, ...rest } = item;
  const parsed = StoredResponse.safeParse(rest);
  if (!parsed.success) throw new StoredItemInvalidError(`response ${String(item.sk)}`, { cause: parsed.error });
  return parsed.data;
}

export async function getResponse(db: Db, surveyId: string, responseId: string): Promise<StoredResponse | undefined> {
  const out = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: responseKey({ surveyId, responseId }), ConsistentRead: true }),
  );
  return out.Item ? parseResponse(out.Item) : undefined;
}

/**
 * Items per page when reading a survey's responses. DynamoDB Local (local runs, tests, benchmarks)
 * spends far more per item on a query page left to fill its 1 MB than on a page of a few hundred
 * items: at 400,000 stored responses about 10x the CPU (a one-off profile, docs/benchmarks.md). In DynamoDB a page of
 * 400 responses (about 300 KB) costs the same read capacity per item; only the round trips add up.
 */
export const RESPONSE_PAGE_ITEMS = 400;

/**
 * Streams every response of a survey, querying up to 8 response shards at a time with one page (up
 * to `RESPONSE_PAGE_ITEMS`) in flight per shard: memory stays flat however many responses there are.
 * (All 16 at once was no faster on 2 cores and let peak memory vary more: docs/benchmarks.md.)
 */
export async function* scanResponses(db: Db, surveyId: string): AsyncGenerator<StoredResponse> {
  const shards = Array.from({ length: RESPONSE_SHARDS }, (_, shard) =>
    queryPages(db, keys.responsePartition(surveyId, shard), undefined, undefined, RESPONSE_PAGE_ITEMS),
  );
  for await (const page of mergePages(shards)) for (const item of page) yield parseResponse(item);
}

/**
 * Pages of several sources as they come, at most `active` sources at a time, each asked for its
 * next page only when its last was taken: memory holds at most `active` pages.
 */
async function* mergePages<T>(sources: AsyncGenerator<T>[], active = 8): AsyncGenerator<T> {
  const next = (i: number) => (sources[i] as AsyncGenerator<T>).next().then((result) => ({ i, result }));
  const pending = new Map<number, ReturnType<typeof next>>();
  let started = 0;
  const startMore = () => {
    while (pending.size < active && started < sources.length) {
      pending.set(started, next(started));
      started++;
    }
  };
  startMore();
  while (pending.size > 0) {
    const { i, result } = await Promise.race(pending.values());
    if (result.done) {
      pending.delete(i);
      startMore();
    } else {
      pending.set(i, next(i));
      yield result.value;
    }
  }
}
