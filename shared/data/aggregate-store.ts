import { addCounters, type Counters, cellKey, contributionOf } from '../aggregate/contribution.js';
import type { SurveyDefinition } from '../survey/schema.js';
import { queryAll } from './query.js';
import { scanResponses } from './response-store.js';
import { getDefinition } from './survey-store.js';
import { type Db, keys } from './table.js';

/** Aggregate cells of one wave: cell key -> counters, summed over all shards and item parts. */
export type Cells = Map<string, Counters>;

const PART_SUFFIX = /#p\d+$/;

/** Reads a wave's aggregate cells by querying every shard in parallel. Never touches responses. */
export async function readCells(db: Db, surveyId: string, waveId: string, shards: number): Promise<Cells> {
  const partitions = Array.from({ length: shards }, (_, shard) => keys.aggregatePartition(surveyId, waveId, shard));
  const pages = await Promise.all(partitions.map((pk) => queryAll(db, pk)));
  const cells: Cells = new Map();
  for (const items of pages) {
    for (const { pk: _pk, sk, ...counters } of items) {
      const key = String(sk).replace(PART_SUFFIX, '');
      const numeric: Counters = {};
      for (const [name, value] of Object.entries(counters)) if (typeof value === 'number') numeric[name] = value;
      cells.set(key, addCounters(cells.get(key) ?? {}, numeric));
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
  const versions = new Map<string, Promise<SurveyDefinition>>([[definition.version, Promise.resolve(definition)]]);
  for await (const response of scanResponses(db, definition.id)) {
    let versioned = versions.get(response.surveyVersion);
    if (!versioned) {
      versioned = getDefinition(db, definition.id, response.surveyVersion);
      versions.set(response.surveyVersion, versioned);
    }
    const cells = byWave.get(response.waveId) ?? new Map();
    const key = cellKey(response.audience, response.dimensions);
    cells.set(key, addCounters(cells.get(key) ?? {}, contributionOf(await versioned, response)));
    byWave.set(response.waveId, cells);
  }
  return byWave;
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
      for (const counter of new Set([...Object.keys(a), ...Object.keys(b)])) {
        const s = a[counter] ?? 0;
        const r = b[counter] ?? 0;
        // Sums of decimals may differ in the last bits depending on addition order.
        if (Math.abs(s - r) > 1e-9 * Math.max(1, Math.abs(r)))
          drift.push({ waveId, cell, counter, stored: s, recomputed: r });
      }
    }
  }
  return drift;
}
