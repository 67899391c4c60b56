import { addCounters, type Counters, cellKey, contributionOf } from '../aggregate/contribution.js';
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

/** Compares stored aggregates with a recomputation from responses; an empty list means no drift. */
export async function verifyAggregates(db: Db, definition: SurveyDefinition): Promise<Drift[]> {
  const recomputed = await recomputeCells(db, definition);
  const drift: Drift[] = [];
  const waveIds = new Set([...definition.waves.map((w) => w.id), ...recomputed.keys()]);
  for (const waveId of waveIds) {
    const stored = await readCells(db, definition.id, waveId, definition.settings.aggregateShards);
    const expected = recomputed.get(waveId) ?? new Map();
    for (const cell of new Set([...stored.keys(), ...expected.keys()])) {
      const a = stored.get(cell) ?? {};
      const b = expected.get(cell) ?? {};
      for (const counter of driftedCounters(a, b)) {
        drift.push({ waveId, cell, counter, stored: a[counter] ?? 0, recomputed: b[counter] ?? 0 });
      }
    }
  }
  return drift;
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

/** True when the counters agree as `verifyAggregates` compares them. */
export function sameCounters(stored: Counters, recomputed: Counters): boolean {
  return driftedCounters(stored, recomputed).length === 0;
}
