import { addCounters, type Counters, cellKey, contributionOf } from '../aggregate/contribution.js';
import { planPooling } from '../aggregate/pooling-plan.js';
import { expiresAtFor } from '../response/retention.js';
import type { StoredResponse } from '../response/schema.js';
import type { SurveyDefinition } from '../survey/schema.js';
import { cellOfSortKey, countersOf } from './aggregate-layout.js';
import { queryAll } from './query.js';
import { scanResponses } from './response-store.js';
import { getDefinition } from './survey-store.js';
import { type Db, keys } from './table.js';

/** Aggregate cells of one wave: cell key -> counters, summed over all shards and item parts. */
export type Cells = Map<string, Counters>;

/**
 * Reads a wave's aggregate cells by querying every shard in parallel. Never touches responses.
 * `counters` limits the read to those counters (e.g. `n` and the indicator counters for impact).
 */
export async function readCells(
  db: Db,
  surveyId: string,
  waveId: string,
  shards: number,
  counters?: readonly string[],
): Promise<Cells> {
  const partitions = Array.from({ length: shards }, (_, shard) => keys.aggregatePartition(surveyId, waveId, shard));
  const pages = await Promise.all(partitions.map((pk) => queryAll(db, pk, undefined, counters)));
  const cells: Cells = new Map();
  for (const items of pages) {
    for (const item of items) {
      const key = cellOfSortKey(String(item.sk));
      cells.set(key, addCounters(cells.get(key) ?? {}, countersOf(item)));
    }
  }
  return cells;
}

/** Sum of all cells (e.g. total n of a wave). */
export function totalOf(cells: Cells): Counters {
  const total: Counters = {};
  for (const counters of cells.values()) addCounters(total, counters);
  return total;
}

/**
 * Aggregates recomputed from raw responses, per wave: the reference `verify` compares against.
 * Each response counts as the definition version it was given under defined it.
 */
export async function recomputeCells(db: Db, definition: SurveyDefinition): Promise<Map<string, Cells>> {
  const byWave = new Map<string, Cells>();
  for await (const { response, cell, counters } of contributions(db, definition)) {
    const cells = byWave.get(response.waveId) ?? new Map();
    cells.set(cell, addCounters(cells.get(cell) ?? {}, counters));
    byWave.set(response.waveId, cells);
  }
  return byWave;
}

/**
 * Every stored response of the survey with its cell and what it adds there, counted as the
 * definition version it was given under defined it.
 */
export async function* contributions(
  db: Db,
  definition: SurveyDefinition,
): AsyncGenerator<{ response: StoredResponse; cell: string; counters: Counters }> {
  const versions = new Map<string, Promise<SurveyDefinition>>([[definition.version, Promise.resolve(definition)]]);
  for await (const response of scanResponses(db, definition.id)) {
    let versioned = versions.get(response.surveyVersion);
    if (!versioned) {
      versioned = getDefinition(db, definition.id, response.surveyVersion);
      versions.set(response.surveyVersion, versioned);
    }
    const cell = cellKey(response.audience, response.dimensions);
    yield { response, cell, counters: contributionOf(await versioned, response) };
  }
}

export interface Drift {
  waveId: string;
  cell: string;
  counter: string;
  stored: number;
  recomputed: number;
}

/** Responses a wave's cells still count that are no longer stored because their retention passed. */
export interface Expired {
  waveId: string;
  responses: number;
  /**
   * Cells of responses all past retention with fewer than `settings.minCellSize` respondents, which
   * `retention pool` would pool (`shared/data/cell-pooling.ts`); 0 when none.
   */
  poolable: number;
}

export interface AggregateCheck {
  drift: Drift[];
  expired: Expired[];
}

/**
 * Whether responses submitted on a day may already be gone at `now` (their `expiresAt` passed, so
 * DynamoDB's TTL may have deleted them). Without `now` none are.
 */
export function expiredDayAt(definition: SurveyDefinition, now?: Date): (day: string) => boolean {
  if (now === undefined) return () => false;
  const seconds = now.getTime() / 1000;
  return (day) => expiresAtFor(definition, day) <= seconds;
}

const DAY = '@day#';
/** Counters every response adds 0 or 1 to (the rest are sums of answers or scores). */
const isCount = (counter: string) =>
  counter === 'n' ||
  counter.endsWith('#n') ||
  counter.includes('#o#') ||
  counter.startsWith('@channel#') ||
  counter.startsWith(DAY);

/**
 * Compares one cell. TTL deletes responses but never touches aggregates (they are kept on purpose),
 * so after a response's retention passed its cell counts more than the stored responses give.
 * `expired` is that surplus, read from the day counters of days whose retention passed. Without it
 * the comparison is exact. With it, what can still be checked is: `n` exceeds the recomputation by
 * exactly `expired`; a day counter differs only on an expired day, and only upwards; every other
 * count exceeds it by 0 to `expired`. Sums of answers cannot be checked without the answers.
 */
export function compareCell(
  stored: Counters,
  recomputed: Counters,
  isExpiredDay: (day: string) => boolean,
): { drifted: string[]; expired: number } {
  let expired = 0;
  for (const [counter, value] of Object.entries(stored)) {
    if (counter.startsWith(DAY) && isExpiredDay(counter.slice(DAY.length))) {
      expired += Math.max(0, value - (recomputed[counter] ?? 0));
    }
  }
  const drifted = driftedCounters(stored, recomputed);
  if (expired === 0) return { drifted, expired };
  return {
    expired,
    drifted: drifted.filter((counter) => {
      const surplus = (stored[counter] ?? 0) - (recomputed[counter] ?? 0);
      if (counter === 'n') return surplus !== expired;
      if (counter.startsWith(DAY)) return !isExpiredDay(counter.slice(DAY.length)) || surplus < 0;
      return isCount(counter) && (surplus < 0 || surplus > expired);
    }),
  };
}

/** Compares stored aggregates with a recomputation from responses; an empty list means no drift. */
export async function verifyAggregates(db: Db, definition: SurveyDefinition, now?: Date): Promise<Drift[]> {
  return (await checkAggregates(db, definition, now)).drift;
}

/**
 * As `verifyAggregates`, telling responses that are gone because their retention passed (counted in
 * `expired`, not drift) from drift; see `compareCell`.
 */
export async function checkAggregates(db: Db, definition: SurveyDefinition, now?: Date): Promise<AggregateCheck> {
  const isExpiredDay = expiredDayAt(definition, now);
  const recomputed = await recomputeCells(db, definition);
  const result: AggregateCheck = { drift: [], expired: [] };
  const waveIds = new Set([...definition.waves.map((w) => w.id), ...recomputed.keys()]);
  for (const waveId of waveIds) {
    const stored = await readCells(db, definition.id, waveId, definition.settings.aggregateShards);
    const expected = recomputed.get(waveId) ?? new Map();
    let expired = 0;
    for (const cell of new Set([...stored.keys(), ...expected.keys()])) {
      const a = stored.get(cell) ?? {};
      const b = expected.get(cell) ?? {};
      const compared = compareCell(a, b, isExpiredDay);
      expired += compared.expired;
      for (const counter of compared.drifted) {
        result.drift.push({ waveId, cell, counter, stored: a[counter] ?? 0, recomputed: b[counter] ?? 0 });
      }
    }
    if (expired > 0) {
      const poolable = planPooling(stored, definition.settings.minCellSize, isExpiredDay).moves.size;
      result.expired.push({ waveId, responses: expired, poolable });
    }
  }
  return result;
}

/** Counters whose stored value differs from the recomputed one (an absent counter counts as 0). */
function driftedCounters(stored: Counters, recomputed: Counters): string[] {
  return [...new Set([...Object.keys(stored), ...Object.keys(recomputed)])].filter((counter) => {
    const s = stored[counter] ?? 0;
    const r = recomputed[counter] ?? 0;
    // Sums of decimals may differ in the last bits depending on addition order.
    return Math.abs(s - r) > 1e-9 * Math.max(1, Math.abs(r));
  });
}
