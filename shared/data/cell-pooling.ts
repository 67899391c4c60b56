import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { addCounters, type Counters } from '../aggregate/contribution.js';
import { planPooling } from '../aggregate/pooling-plan.js';
import type { SurveyDefinition } from '../survey/schema.js';
import { cellOfSortKey, countersOf } from './aggregate-layout.js';
import { expiredDayAt } from './aggregate-store.js';
import { transactedIf, writtenIf } from './conditional.js';
import { dropSnapshots } from './impact-snapshot-store.js';
import { queryAll, queryPages } from './query.js';
import {
  cellAddItems,
  defaultRetryPolicy,
  MAX_TRANSACT_ITEMS,
  type RetryPolicy,
  type TransactItem,
} from './response-store.js';
import { type Db, keys, RESPONSE_SHARDS } from './table.js';

/*
 * Pooling of small aggregate cells once their responses are past retention.
 *
 * TTL deletes responses and keeps the aggregate cells, so reports of past waves stay available. But
 * a cell counts the answers of the respondents who share all its dimensions (audience, city, age
 * band, gender, role, business size, exposure): a cell of one or two respondents keeps their
 * answers, as counts, after the microdata is gone. Pooling moves every such cell, when all the
 * days it counts are past retention, into a coarser cell: its most specific dimensions become "not
 * stated" (`_`) one by one, from the last of `DIMENSION_ORDER` (exposure) to the first (city),
 * until the pooled cell counts at least k respondents or only the audience is left.
 *
 * - Every counter is moved, never changed: a wave's totals, and its figures by audience, stay as they
 *   were. Figures by a dimension move the pooled respondents to "not stated".
 * - Only cells of responses past retention move; a cell with any day still within retention stays
 *   (it may receive pooled counts, and is itself pooled once its days expire).
 * - First, responses past retention that DynamoDB's TTL has not deleted yet (it may take days) are
 *   deleted, without touching the cells, exactly as TTL would: afterwards no stored response
 *   belongs to a pooled cell, so an early deletion can never subtract from a cell that moved.
 * - Each cell moves in one transaction (its items deleted, conditional on their `n`; its counters
 *   added to the pooled cell), so an interrupted or concurrent run never counts a cell twice or
 *   loses it, and a second run only finishes what is left. `verify` stays at zero drift.
 */

export interface PoolingReport {
  /** Stored responses past retention deleted before pooling (TTL had not yet). */
  expiredDeleted: number;
  /** Cells moved into a pooled cell, per wave. */
  pooled: Record<string, number>;
  /** Cells past retention still under k after pooling up to the audience alone, per wave. */
  leftUnderK: Record<string, number>;
  /** Cells that changed meanwhile and were left for the next run. */
  skipped: number;
  /**
   * Cells spread over more items than one transaction takes (DynamoDB: 100), left as they are; only
   * a large --k over many shards gets there.
   */
  tooLarge: number;
  /** Impact snapshot items dropped, so the next report reads the pooled cells. */
  snapshotItems: number;
}

export interface PoolingOptions {
  /** Reference time for retention (the real clock in the CLI). */
  now: Date;
  /** Pool cells under this many respondents; `settings.minCellSize` (the reports' threshold) without it. */
  k?: number;
  /** Only this wave; every wave of the definition without it. */
  waveId?: string;
  retry?: Omit<RetryPolicy, 'retryAfterSeconds'>;
}

interface CellItems {
  /** Each stored item of the cell (every shard, every part), with `n` where it has one. */
  items: { pk: string; sk: string; n?: number }[];
  counters: Counters;
}

/** Pools the small cells of the survey's waves whose responses are past retention; see above. */
export async function poolExpiredCells(
  db: Db,
  definition: SurveyDefinition,
  options: PoolingOptions,
): Promise<PoolingReport> {
  const k = options.k ?? definition.settings.minCellSize;
  const retry = options.retry ?? { ...defaultRetryPolicy, attempts: 12 };
  const isExpiredDay = expiredDayAt(definition, options.now);
  const report: PoolingReport = {
    expiredDeleted: 0,
    pooled: {},
    leftUnderK: {},
    skipped: 0,
    tooLarge: 0,
    snapshotItems: 0,
  };
  report.expiredDeleted = await deleteExpiredResponses(db, definition, options);

  const waves = options.waveId ? [options.waveId] : definition.waves.map((w) => w.id);
  for (const waveId of waves) {
    const cells = await readCellItems(db, definition, waveId);
    const summed = new Map([...cells].map(([key, cell]) => [key, cell.counters]));
    const plan = planPooling(summed, k, isExpiredDay);
    let pooled = 0;
    for (const [source, target] of plan.moves) {
      const cell = cells.get(source);
      if (!cell) continue;
      const outcome = await moveCell(db, definition, waveId, cell, target, retry);
      if (outcome === 'moved') pooled++;
      else if (outcome === 'changed') report.skipped++;
      else report.tooLarge++;
    }
    if (pooled > 0) report.pooled[waveId] = pooled;
    if (plan.leftUnderK > 0) report.leftUnderK[waveId] = plan.leftUnderK;
  }
  if (Object.keys(report.pooled).length > 0) report.snapshotItems = await dropSnapshots(db, definition.id);
  return report;
}

/**
 * Deletes stored responses whose `expiresAt` has passed, as TTL would: the cells keep counting them.
 * Reads keys, wave and `expiresAt` only, never answers.
 */
async function deleteExpiredResponses(db: Db, definition: SurveyDefinition, options: PoolingOptions): Promise<number> {
  const seconds = options.now.getTime() / 1000;
  let deleted = 0;
  for (let shard = 0; shard < RESPONSE_SHARDS; shard++) {
    const pk = keys.responsePartition(definition.id, shard);
    for await (const page of queryPages(db, pk, undefined, ['waveId', 'expiresAt'])) {
      for (const item of page) {
        const expiresAt = item.expiresAt;
        if (typeof expiresAt !== 'number' || expiresAt > seconds) continue;
        if (options.waveId !== undefined && item.waveId !== options.waveId) continue;
        if (await deleteIfStillExpiring(db, { pk, sk: item.sk }, expiresAt)) deleted++;
      }
    }
  }
  return deleted;
}

/** Deletes an item whose `expiresAt` is still the one read; false when it is gone or was changed. */
function deleteIfStillExpiring(db: Db, key: Record<string, unknown>, expiresAt: number): Promise<boolean> {
  // Deleted meanwhile (TTL, another run) or given a later expiresAt: either way not ours to delete.
  return writtenIf(
    db.doc.send(
      new DeleteCommand({
        TableName: db.tableName,
        Key: key,
        ConditionExpression: 'expiresAt = :e',
        ExpressionAttributeValues: { ':e': expiresAt },
      }),
    ),
  );
}

/** Every item of a wave's cells, grouped by cell, with the summed counters. */
async function readCellItems(db: Db, definition: SurveyDefinition, waveId: string): Promise<Map<string, CellItems>> {
  const shards = definition.settings.aggregateShards;
  const partitions = Array.from({ length: shards }, (_, shard) =>
    keys.aggregatePartition(definition.id, waveId, shard),
  );
  const pages = await Promise.all(partitions.map((pk) => queryAll(db, pk)));
  const cells = new Map<string, CellItems>();
  for (const item of pages.flat()) {
    const sk = String(item.sk);
    const key = cellOfSortKey(sk);
    const cell = cells.get(key) ?? { items: [], counters: {} };
    const counters = countersOf(item);
    cell.items.push({ pk: String(item.pk), sk, ...(counters.n === undefined ? {} : { n: counters.n }) });
    addCounters(cell.counters, counters);
    cells.set(key, cell);
  }
  return cells;
}

/**
 * Moves one cell into `target` in one transaction: its items deleted (each part 0 conditional on its
 * `n`, so a cell that changed meanwhile is left for the next run), its counters added to the pooled
 * cell in shard 0. 'changed' when the cell had changed or gone.
 */
async function moveCell(
  db: Db,
  definition: SurveyDefinition,
  waveId: string,
  cell: CellItems,
  target: string,
  retry: Omit<RetryPolicy, 'retryAfterSeconds'>,
): Promise<'moved' | 'changed' | 'too-large'> {
  const deletes: TransactItem[] = cell.items.map((item) => ({
    Delete: {
      TableName: db.tableName,
      Key: { pk: item.pk, sk: item.sk },
      ...(item.n === undefined
        ? { ConditionExpression: 'attribute_exists(pk)' }
        : { ConditionExpression: 'n = :n', ExpressionAttributeValues: { ':n': item.n } }),
    },
  }));
  const adds = cellAddItems(db, keys.aggregatePartition(definition.id, waveId, 0), target, cell.counters);
  if (deletes.length + adds.length > MAX_TRANSACT_ITEMS) return 'too-large';
  return (await transactedIf(db, [...deletes, ...adds], retry)) ? 'moved' : 'changed';
}
