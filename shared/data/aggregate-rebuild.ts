import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { addCounters, type Counters, shardOf } from '../aggregate/contribution.js';
import { AggregatesBusyError } from '../errors.js';
import type { SurveyDefinition } from '../survey/schema.js';
import { cellOfSortKey, counterParts, countersOf, partSortKey } from './aggregate-layout.js';
import { compareCell, contributions, expiredDayAt } from './aggregate-store.js';
import { dropSnapshots } from './impact-snapshot-store.js';
import { queryAll } from './query.js';
import { defaultRetryPolicy, type RetryPolicy, type TransactItem } from './response-store.js';
import { type Db, keys } from './table.js';
import { backoffDelay, cancellationReasons, isRetryableWriteError } from './transient.js';

export type CellAction = 'rewritten' | 'created' | 'deleted';

export interface CellChange {
  waveId: string;
  shard: number;
  cell: string;
  action: CellAction;
}

/** What a rebuild did, counted per cell and shard (one cell may consist of several item parts). */
export interface RebuildReport {
  rewritten: number;
  created: number;
  deleted: number;
  unchanged: number;
  /** Cell writes that lost to a response arriving meanwhile and were done again in a later round. */
  retried: number;
  /**
   * Cells (per shard) left as they are because they count responses whose retention passed and which
   * may be gone (see `compareCell`): rebuilding them from what is left would drop kept figures.
   */
  kept: number;
  changes: CellChange[];
}

export interface RebuildOptions {
  /** Rounds (`attempts`) and the pause between them; defaults to the write path's policy. */
  retry?: Omit<RetryPolicy, 'retryAfterSeconds'>;
  /** Cell transactions in flight at once (default 8). */
  parallel?: number;
  /** The moment retention is judged at; without it no response counts as past its retention. */
  now?: Date;
}

/** One cell of one shard: its stored item parts (sort key -> counters) and what the responses say. */
interface CellState {
  waveId: string;
  shard: number;
  cell: string;
  stored: Map<string, Counters>;
  expected?: Counters;
}

const idOf = (c: { waveId: string; shard: number; cell: string }) => `${c.waveId}#${c.shard}#${c.cell}`;

/**
 * Rewrites every aggregate cell of the survey from its stored responses: a cell whose counters
 * differ from the recomputation is replaced (in the write path's part layout), a cell no response
 * belongs to is deleted, a missing one is written; the rest stays untouched, so a second run
 * changes nothing.
 *
 * Responses may keep arriving. A cell is read before the responses are scanned and replaced in one
 * transaction only if its first part's `n` is still what was read (every response adds to it, see
 * `counterParts`); otherwise the write is cancelled and the cell read, recomputed and written again
 * in the next round. A response therefore lands either before the read (in both the read and the
 * scan) or after the write (added to the rebuilt cell), never lost and never counted twice. After
 * `retry.attempts` rounds with cells still contended it throws `AggregatesBusyError`.
 *
 * With `now`, a cell that counts responses whose retention has passed (DynamoDB's TTL may have
 * deleted them, and aggregates are kept on purpose) is left as it is: `report.kept` counts them.
 */
export async function rebuildAggregates(
  db: Db,
  definition: SurveyDefinition,
  options: RebuildOptions = {},
): Promise<RebuildReport> {
  const retry = options.retry ?? defaultRetryPolicy;
  const report: RebuildReport = {
    rewritten: 0,
    created: 0,
    deleted: 0,
    unchanged: 0,
    retried: 0,
    kept: 0,
    changes: [],
  };
  const isExpiredDay = expiredDayAt(definition, options.now);
  const waves = new Set(definition.waves.map((w) => w.id));
  for (let round = 1; ; round++) {
    const cells = await readState(db, definition, waves);
    // Responses of a wave the definition no longer lists: read that wave's cells first, then scan again.
    if (await addExpected(db, definition, cells, waves)) continue;
    const compared = new Map(
      [...cells.values()].map((c) => [c, compareCell(storedTotal(c), c.expected ?? {}, isExpiredDay)] as const),
    );
    const kept = [...cells.values()].filter((c) => (compared.get(c)?.expired ?? 0) > 0);
    const changed = [...cells.values()].filter((c) => {
      const { expired = 0, drifted = [] } = compared.get(c) ?? {};
      return expired === 0 && (!c.expected || drifted.length > 0);
    });
    const outcomes = await inParallel(changed, options.parallel ?? 8, (c) => writeCell(db, definition.id, c));
    const conflicts = changed.filter((_, i) => outcomes[i] === 'conflict');
    changed.forEach((c, i) => {
      const action = outcomes[i];
      if (action && action !== 'conflict') {
        report[action]++;
        report.changes.push({ waveId: c.waveId, shard: c.shard, cell: c.cell, action });
      }
    });
    if (conflicts.length === 0) {
      const done = new Set(report.changes.map(idOf));
      report.kept = kept.length;
      report.unchanged = [...cells.values()].filter(
        (c) => c.expected && !done.has(idOf(c)) && !kept.includes(c),
      ).length;
      // Impact snapshots were made from the cells as they were: the next read makes them anew.
      if (report.changes.length > 0) await dropSnapshots(db, definition.id, { releases: true });
      return report;
    }
    if (round >= retry.attempts) throw new AggregatesBusyError(conflicts.length);
    report.retried += conflicts.length;
    await retry.sleep(backoffDelay(retry, round));
  }
}

/** Every stored aggregate item of the given waves, by cell and shard. */
async function readState(db: Db, definition: SurveyDefinition, waves: Set<string>): Promise<Map<string, CellState>> {
  const partitions = [...waves].flatMap((waveId) =>
    Array.from({ length: definition.settings.aggregateShards }, (_, shard) => ({ waveId, shard })),
  );
  const pages = await Promise.all(
    partitions.map((p) => queryAll(db, keys.aggregatePartition(definition.id, p.waveId, p.shard))),
  );
  const cells = new Map<string, CellState>();
  partitions.forEach(({ waveId, shard }, i) => {
    for (const item of pages[i] ?? []) {
      const sk = String(item.sk);
      const state = cellState(cells, waveId, shard, cellOfSortKey(sk));
      state.stored.set(sk, countersOf(item));
    }
  });
  return cells;
}

/**
 * Adds what the responses say to each cell; true when a response belongs to a wave not read yet
 * (that wave is added to `waves`).
 */
async function addExpected(
  db: Db,
  definition: SurveyDefinition,
  cells: Map<string, CellState>,
  waves: Set<string>,
): Promise<boolean> {
  let unread = false;
  for await (const { response, cell, counters } of contributions(db, definition)) {
    if (!waves.has(response.waveId)) {
      waves.add(response.waveId);
      unread = true;
    }
    const state = cellState(
      cells,
      response.waveId,
      shardOf(response.responseId, definition.settings.aggregateShards),
      cell,
    );
    state.expected = addCounters(state.expected ?? {}, counters);
  }
  return unread;
}

function cellState(cells: Map<string, CellState>, waveId: string, shard: number, cell: string): CellState {
  const id = idOf({ waveId, shard, cell });
  let state = cells.get(id);
  if (!state) {
    state = { waveId, shard, cell, stored: new Map() };
    cells.set(id, state);
  }
  return state;
}

function storedTotal(state: CellState): Counters {
  const total: Counters = {};
  for (const counters of state.stored.values()) addCounters(total, counters);
  return total;
}

/** The guard on a cell's first part: unchanged since it was read. */
function firstPartUnchanged(state: CellState) {
  const first = state.stored.get(state.cell);
  if (!first) return { ConditionExpression: 'attribute_not_exists(pk)' };
  if (first.n === undefined) {
    return {
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#n)',
      ExpressionAttributeNames: { '#n': 'n' },
    };
  }
  return {
    ConditionExpression: '#n = :n',
    ExpressionAttributeNames: { '#n': 'n' },
    ExpressionAttributeValues: { ':n': first.n },
  };
}

/** Replaces one cell's items in one guarded transaction; 'conflict' when the cell changed meanwhile. */
async function writeCell(db: Db, surveyId: string, state: CellState): Promise<CellAction | 'conflict'> {
  const pk = keys.aggregatePartition(surveyId, state.waveId, state.shard);
  const guard = firstPartUnchanged(state);
  const parts = state.expected ? counterParts(state.expected) : [];
  const kept = new Set(parts.map((_, i) => partSortKey(state.cell, i)));
  const items: TransactItem[] = [
    ...parts.map((counters, i) => ({
      Put: {
        TableName: db.tableName,
        Item: { pk, sk: partSortKey(state.cell, i), ...counters },
        ...(i === 0 ? guard : {}),
      },
    })),
    ...[...state.stored.keys()]
      .filter((sk) => !kept.has(sk))
      .map((sk) => ({ Delete: { TableName: db.tableName, Key: { pk, sk }, ...(sk === state.cell ? guard : {}) } })),
  ];
  if (!kept.has(state.cell) && !state.stored.has(state.cell)) {
    items.push({ ConditionCheck: { TableName: db.tableName, Key: { pk, sk: state.cell }, ...guard } });
  }
  if (items.length > 100) throw new RangeError(`cell ${state.cell} needs ${items.length} items in one transaction`);
  try {
    await db.doc.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    const lost = cancellationReasons(error)?.some((r) => r.Code === 'ConditionalCheckFailed');
    if (lost || isRetryableWriteError(error)) return 'conflict';
    throw error;
  }
  return !state.expected ? 'deleted' : state.stored.size === 0 ? 'created' : 'rewritten';
}

async function inParallel<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  async function worker() {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i] as T);
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, worker));
  return results;
}
