import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Counters } from '../aggregate/contribution.js';
import type { StoredResponse } from '../response/schema.js';
import type { SurveyDefinition } from '../survey/schema.js';
import { cellOfSortKey, countersOf } from './aggregate-layout.js';
import { contributions } from './aggregate-store.js';
import { transactedIf, writtenIf } from './conditional.js';
import { dropSnapshots } from './impact-snapshot-store.js';
import { queryAll } from './query.js';
import {
  aggregatePartitionOf,
  cellUpdateItems,
  defaultRetryPolicy,
  type RetryPolicy,
  responseKey,
} from './response-store.js';
import type { Db } from './table.js';

/*
 * Early deletion of responses (a survey's, or one wave's), aggregates adjusted.
 *
 * Each response goes in one transaction with the subtraction of its contribution from its cell: the
 * delete is conditional on the response still being there unchanged (same wave, same answers), so a
 * response deleted by an earlier or concurrent run is skipped and never subtracted twice, and a
 * crash between two responses leaves every cell matching the responses still stored. Submissions
 * arriving meanwhile add to the same cells through their own transactions; a conflict is retried.
 * The contribution is computed as `verify` computes it (under the definition version the response
 * was given under), so `verify` stays at zero drift.
 */

export interface DeletionReport {
  /** Responses this run deleted, per wave. */
  deleted: Record<string, number>;
  /** Responses found by the scan but gone (or changed) before this run could delete them. */
  skipped: number;
  /** Aggregate cell parts left empty (every counter 0) and removed. */
  emptiedParts: number;
  /** Impact snapshot items dropped, so the next report reads the adjusted cells. */
  snapshotItems: number;
}

export interface DeletionOptions {
  /** Only this wave's responses; without it every response of the survey. */
  waveId?: string;
  retry?: Omit<RetryPolicy, 'retryAfterSeconds'>;
  /** Transactions in flight at once (default 8). */
  parallel?: number;
}

/** An admin run waits longer for a busy cell than a respondent would. */
const deletionRetry = { ...defaultRetryPolicy, attempts: 12 };

export async function deleteResponses(
  db: Db,
  definition: SurveyDefinition,
  options: DeletionOptions = {},
): Promise<DeletionReport> {
  const retry = options.retry ?? deletionRetry;
  const shards = definition.settings.aggregateShards;
  const report: DeletionReport = { deleted: {}, skipped: 0, emptiedParts: 0, snapshotItems: 0 };
  const touched = new Map<string, { pk: string; cell: string }>();
  let inFlight: Promise<void>[] = [];
  for await (const { response, cell, counters } of contributions(db, definition)) {
    if (options.waveId !== undefined && response.waveId !== options.waveId) continue;
    inFlight.push(
      deleteOne(db, response, counters, shards, retry).then((outcome) => {
        if (outcome === 'skipped') {
          report.skipped++;
          return;
        }
        report.deleted[response.waveId] = (report.deleted[response.waveId] ?? 0) + 1;
        const pk = aggregatePartitionOf(response, shards);
        touched.set(`${pk}\u0000${cell}`, { pk, cell });
      }),
    );
    if (inFlight.length >= (options.parallel ?? 8)) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  for (const { pk, cell } of touched.values()) report.emptiedParts += await tidyCell(db, pk, cell);
  // Snapshots hold figures of the cells as they were; the next read makes them from the adjusted cells.
  if (touched.size > 0) report.snapshotItems = await dropSnapshots(db, definition.id, { releases: true });
  return report;
}

/** Deletes one response and subtracts its counters in one transaction; 'skipped' if it is gone or changed. */
async function deleteOne(
  db: Db,
  response: StoredResponse,
  counters: Counters,
  shards: number,
  retry: Omit<RetryPolicy, 'retryAfterSeconds'>,
): Promise<'deleted' | 'skipped'> {
  const negated: Counters = {};
  for (const [name, value] of Object.entries(counters)) negated[name] = -value;
  const deleted = await transactedIf(
    db,
    [
      {
        Delete: {
          TableName: db.tableName,
          Key: responseKey(response),
          ConditionExpression: 'attribute_exists(pk) AND #wave = :wave AND #fingerprint = :fingerprint',
          ExpressionAttributeNames: { '#wave': 'waveId', '#fingerprint': 'fingerprint' },
          ExpressionAttributeValues: { ':wave': response.waveId, ':fingerprint': response.fingerprint },
        },
      },
      ...cellUpdateItems(db, response, negated, shards),
    ],
    retry,
  );
  return deleted ? 'deleted' : 'skipped';
}

/** A counter left at zero by subtraction (sums of decimals may keep a rounding rest). */
const isZero = (value: number) => Math.abs(value) < 1e-9;

/**
 * Removes what the subtraction left at zero in one cell, so readers see the cell as if the deleted
 * responses had never been there: zero counters go (a fieldwork row of 0 would otherwise remain),
 * a part with nothing else left goes. Each write is conditional on the values read, so a response
 * that lands meanwhile keeps its counters. Returns how many parts were removed.
 */
async function tidyCell(db: Db, pk: string, cell: string): Promise<number> {
  const parts = (await queryAll(db, pk, cell)).filter((item) => cellOfSortKey(String(item.sk)) === cell);
  let removed = 0;
  for (const item of parts) {
    const counters = Object.entries(countersOf(item));
    const zeros = counters.filter(([, value]) => isZero(value));
    if (zeros.length === 0) continue;
    const names: Record<string, string> = {};
    const values: Record<string, number> = {};
    const unchanged = zeros.map(([name, value], k) => {
      names[`#c${k}`] = name;
      values[`:c${k}`] = value;
      return `#c${k} = :c${k}`;
    });
    const guard = {
      ConditionExpression: unchanged.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    const key = { pk, sk: item.sk };
    // A condition that fails means a response landed in this cell meanwhile: its counters are live.
    if (zeros.length === counters.length) {
      if (await writtenIf(db.doc.send(new DeleteCommand({ TableName: db.tableName, Key: key, ...guard })))) removed++;
    } else {
      const remove = `REMOVE ${Object.keys(names).join(', ')}`;
      await writtenIf(
        db.doc.send(new UpdateCommand({ TableName: db.tableName, Key: key, UpdateExpression: remove, ...guard })),
      );
    }
  }
  return removed;
}
