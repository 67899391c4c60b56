import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { type Counters, cellKey, DIMENSION_ORDER, parseCellKey } from '../aggregate/contribution.js';
import type { Dimensions } from '../response/schema.js';
import type { Population } from '../stats/population.js';
import { emptyWeightedSums } from '../stats/weighting.js';
import type { Dimension, SurveyDefinition } from '../survey/schema.js';
import { answerCounterNames, channelOfMeasure } from './answers.js';
import { indexWave, type WaveIndex } from './report.js';
import { viewCells } from './sums.js';
import { cellWeights, type RakedGroup } from './weights.js';

/**
 * The impact snapshot of one wave: what the impact report needs of the wave's aggregate cells,
 * summed per audience x city x exposure answer and indicator (plain sums, and weighted sums with
 * the wave's raking weights), per audience x city each closed question's answers and each channel's
 * responses (see `indexWave`), the raking's outcome, and responses per day for the dashboard's trend.
 *
 * Cells cross six dimensions and are spread over shards, so how many items a wave has grows with
 * its responses until every combination is filled (tens of thousands). The snapshot holds a few
 * hundred group sums whatever the number of responses, in one item or a few: reading it is what
 * makes the impact read independent of the number of responses. It is a cache of the cells, never a
 * source: it is rebuilt from them (see `shared/data/impact-snapshot-store.ts` for when).
 */
export interface ImpactSnapshot {
  waveId: string;
  /** When the cells were read. */
  asOf: string;
  /** Definition version whose indicators the counters belong to. */
  definitionVersion: string;
  /** What the weighted sums were weighted to (see `weightingFingerprint`). */
  weighting: string;
  /** True when the wave had stopped collecting for good when the cells were read (see `waveSettledAt`). */
  settled: boolean;
  /** The wave's state record when the cells were read: a settled snapshot holds only while it is unchanged. */
  waveFingerprint: string;
  index: WaveIndex;
  /** How the wave's audiences were raked (empty without weighting). */
  raking: RakedGroup[];
  /** Responses per submission day (YYYY-MM-DD), all audiences together. */
  days: Record<string, number>;
}

/** The dimensions an impact report needs: city and exposure always, plus those of the weighting margins. */
export function impactDimensions(population?: Population): Dimension[] {
  const wanted = new Set<Dimension>(['city', 'exposure', ...(population?.margins.flatMap((m) => m.dimensions) ?? [])]);
  return DIMENSION_ORDER.filter((d) => wanted.has(d));
}

const INDICATOR_COUNTER = /^@ind#.+#(n|s|ss)$/;
const CHANNEL_PREFIX = '@channel#';
const DAY_PREFIX = '@day#';

/** Folds cells one at a time (a refresh streams aggregate items through it, page by page). */
export interface CellFolder {
  /** Adds counters of a cell (or of one item part of one shard of it). */
  add(key: string, counters: Counters): void;
  cells: Map<string, Counters>;
  days: Record<string, number>;
}

/**
 * Sums cells onto the kept dimensions, keeping what the impact report reads: `n`, the indicator
 * counters, the counters of the closed questions leads see (`answerCounterNames`), the channels,
 * and the days.
 */
export function cellFolder(definition: SurveyDefinition, dimensions: readonly Dimension[]): CellFolder {
  const keep = new Set(dimensions);
  const answers = new Set(answerCounterNames(definition));
  const kept = (name: string) =>
    name === 'n' || answers.has(name) || name.startsWith(CHANNEL_PREFIX) || INDICATOR_COUNTER.test(name);
  const cells = new Map<string, Counters>();
  const days: Record<string, number> = {};
  const targets = new Map<string, string>();
  return {
    cells,
    days,
    add(key, counters) {
      let target = targets.get(key);
      if (target === undefined) {
        const { audience, dimensions: values } = parseCellKey(key);
        const reduced = Object.fromEntries(DIMENSION_ORDER.map((d) => [d, keep.has(d) ? values[d] : '_']));
        target = cellKey(audience, reduced as Dimensions);
        targets.set(key, target);
      }
      let sums = cells.get(target);
      if (!sums) {
        sums = {};
        cells.set(target, sums);
      }
      for (const [name, value] of Object.entries(counters)) {
        if (kept(name)) sums[name] = (sums[name] ?? 0) + value;
        else if (name.startsWith(DAY_PREFIX)) {
          const day = name.slice(DAY_PREFIX.length);
          days[day] = (days[day] ?? 0) + value;
        }
      }
    },
  };
}

/** Sums a wave's cells onto the kept dimensions (see `cellFolder`). */
export function foldCells(
  definition: SurveyDefinition,
  cells: Map<string, Counters>,
  dimensions: readonly Dimension[],
): { cells: Map<string, Counters>; days: Record<string, number> } {
  const folder = cellFolder(definition, dimensions);
  for (const [key, counters] of cells) folder.add(key, counters);
  return { cells: folder.cells, days: folder.days };
}

const DAY_MS = 86_400_000;
/** Day counters named in one projection at most: the expression stays far below DynamoDB's 4 KB. */
const MAX_PROJECTED_DAYS = 400;

/**
 * The counters a refresh needs to read of each aggregate item: `n`, the indicator counters, the
 * closed questions' counters, the channels' counters (`channels`: every code a response can hold,
 * see the store) and the day counters of every day the wave can have answers on: the days of its
 * previous snapshot and every day since the day before that snapshot was made (answers are dated
 * by the server when they are stored). Undefined (read whole items) without a previous snapshot,
 * or when the days would be too many to name. Whether the names fit into one request is the
 * store's to check (`fitsProjection`).
 */
export function refreshCounters(
  definition: SurveyDefinition,
  previous: { asOf: string; days: Record<string, number> } | undefined,
  now: Date,
  channels: Iterable<string> = [],
): string[] | undefined {
  if (!previous) return undefined;
  const from = Date.parse(previous.asOf) - DAY_MS;
  if (!(from <= now.getTime())) return undefined;
  const days = new Set(Object.keys(previous.days));
  for (let t = from; t <= now.getTime() + DAY_MS; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    if (day > now.toISOString().slice(0, 10)) break;
    days.add(day);
  }
  if (days.size > MAX_PROJECTED_DAYS) return undefined;
  return [
    'n',
    ...definition.indicators.flatMap((i) => ['n', 's', 'ss'].map((x) => `@ind#${i.id}#${x}`)),
    ...answerCounterNames(definition),
    ...[...new Set(channels)].sort().map((channel) => `${CHANNEL_PREFIX}${channel}`),
    ...[...days].sort().map((day) => `${DAY_PREFIX}${day}`),
  ];
}

/** The channels a wave index counts responses of (to name them in the next refresh). */
export function channelsOfIndex(index: WaveIndex): Set<string> {
  const channels = new Set<string>();
  for (const byCity of index.values()) {
    for (const byExposure of byCity.values()) {
      for (const byMeasure of byExposure.values()) {
        for (const measure of byMeasure.keys()) {
          const channel = channelOfMeasure(measure);
          if (channel !== undefined) channels.add(channel);
        }
      }
    }
  }
  return channels;
}

/**
 * A wave's snapshot data from its aggregate cells: folded onto the dimensions the report needs,
 * raked per audience when the survey is weighted (`population` and `settings.weighting`), summed
 * per group. Pure: the store reads the cells and keeps the result.
 */
export function snapshotOfCells(
  definition: SurveyDefinition,
  waveId: string,
  cells: Map<string, Counters>,
  population: Population | undefined,
): Pick<ImpactSnapshot, 'index' | 'raking' | 'days'> {
  return snapshotOfFolded(
    definition,
    waveId,
    foldCells(definition, cells, snapshotDimensions(definition, population)),
    population,
  );
}

/** The dimensions a survey's snapshots keep: those of its weighting margins when it is weighted. */
export function snapshotDimensions(definition: SurveyDefinition, population: Population | undefined): Dimension[] {
  return impactDimensions(definition.settings.weighting ? population : undefined);
}

/** As `snapshotOfCells`, from cells folded onto `snapshotDimensions` already. */
export function snapshotOfFolded(
  definition: SurveyDefinition,
  waveId: string,
  folded: { cells: Map<string, Counters>; days: Record<string, number> },
  population: Population | undefined,
): Pick<ImpactSnapshot, 'index' | 'raking' | 'days'> {
  const cap = definition.settings.weighting?.cap;
  const raked =
    population && cap !== undefined
      ? cellWeights(definition, new Map([[waveId, folded.cells]]), population, cap)
      : undefined;
  return {
    index: indexWave(waveId, viewCells(folded.cells), definition, raked?.weights),
    raking: raked?.summary.groups ?? [],
    days: folded.days,
  };
}

/**
 * Serialised form, version 4: one row per group and measure (the respondents, each indicator, each
 * channel), one per group and closed question, the raking outcome and the days. Trailing zeros of
 * a row are left out (a channel's row is its count alone). Version 3 had no answer rows and no
 * channels; it is still read, for the releases stored before version 4 (see `distributions`).
 */
interface Encoded {
  v: 3 | 4;
  /** [audience, city, exposure, measure, n, s, ss, Σn, Σwn, Σws, Σw²n, Σw²s, Σw²ss] */
  rows: [string, string, string, string, ...number[]][];
  /** [audience, city, exposure, question measure, n, Σwn, Σw²n, [[code, n, Σwn], ...]] */
  answers?: [string, string, string, string, number, number, number, [string, number, number][]][];
  raking: RakedGroup[];
  days: Record<string, number>;
}

const trimmed = (values: number[]) => {
  let end = values.length;
  while (end > 0 && values[end - 1] === 0) end--;
  return values.slice(0, end);
};

/** The snapshot's data, compressed (gzip of compact JSON). */
export function encodeSnapshotData(snapshot: Pick<ImpactSnapshot, 'index' | 'raking' | 'days'>): Buffer {
  const rows: Encoded['rows'] = [];
  const answers: NonNullable<Encoded['answers']> = [];
  for (const [audience, byCity] of snapshot.index) {
    for (const [city, byExposure] of byCity) {
      for (const [exposure, byMeasure] of byExposure) {
        for (const [measure, g] of byMeasure) {
          const w = g.weighted;
          if (g.options) {
            const options = Object.entries(g.options).map(([code, o]): [string, number, number] => [code, o.n, o.sw]);
            answers.push([audience, city, exposure, measure, g.n, w.sw, w.sw2, options]);
          } else {
            const values = trimmed([g.n, g.s, g.ss, w.n, w.sw, w.swx, w.sw2, w.sw2x, w.sw2xx]);
            rows.push([audience, city, exposure, measure, ...values]);
          }
        }
      }
    }
  }
  const encoded: Encoded = { v: 4, rows, answers, raking: snapshot.raking, days: snapshot.days };
  return gzipSync(JSON.stringify(encoded));
}

/** A stored snapshot's data; `distributions` is false for version 3, which kept no answers and no channels. */
export type DecodedSnapshot = Pick<ImpactSnapshot, 'index' | 'raking' | 'days'> & { distributions: boolean };

export function decodeSnapshotData(data: Uint8Array): DecodedSnapshot {
  const encoded = JSON.parse(gunzipSync(data).toString('utf8')) as Encoded;
  if (encoded.v !== 3 && encoded.v !== 4) throw new Error(`unknown impact snapshot encoding ${String(encoded.v)}`);
  const index: WaveIndex = new Map();
  const at = <V>(map: Map<string, V>, key: string, make: () => V): V => {
    let value = map.get(key);
    if (value === undefined) {
      value = make();
      map.set(key, value);
    }
    return value;
  };
  const group = (audience: string, city: string, exposure: string) =>
    at(
      at(
        at(index, audience, () => new Map()),
        city,
        () => new Map(),
      ),
      exposure,
      () => new Map(),
    );
  for (const [audience, city, exposure, measure, ...v] of encoded.rows) {
    const [n = 0, s = 0, ss = 0, wn = 0, sw = 0, swx = 0, sw2 = 0, sw2x = 0, sw2xx = 0] = v;
    group(audience, city, exposure).set(measure, { n, s, ss, weighted: { n: wn, sw, swx, sw2, sw2x, sw2xx } });
  }
  for (const [audience, city, exposure, measure, n, sw, sw2, codes] of encoded.answers ?? []) {
    const options = Object.fromEntries(codes.map(([code, count, w]) => [code, { n: count, sw: w }]));
    const weighted = { ...emptyWeightedSums(), n, sw, sw2 };
    group(audience, city, exposure).set(measure, { n, s: 0, ss: 0, weighted, options });
  }
  return { index, raking: encoded.raking, days: encoded.days, distributions: encoded.v === 4 };
}

/**
 * What weighted sums were weighted to: the population's margins and the weight cap. A changed
 * population file or cap makes stored snapshots stale.
 */
export function weightingFingerprint(population: Population | undefined, cap: number | undefined): string {
  if (!population || cap === undefined) return 'none';
  return createHash('sha256')
    .update(JSON.stringify({ cap, margins: population.margins, audiences: population.audiences }))
    .digest('base64url');
}

export interface SnapshotNeeds {
  now: Date;
  /** How old a snapshot of a wave that may still collect can be. */
  maxAgeMs: number;
  definitionVersion: string;
  weighting: string;
  /** The wave's state record now (see `waveFingerprint`). */
  waveFingerprint: string;
}

/**
 * Whether a stored snapshot can answer now instead of the cells: made for the same definition
 * version and weighting, and either settled with the wave's state unchanged since (final: nothing
 * can have been added), or younger than `maxAgeMs`.
 */
export function snapshotServes(
  snapshot: Pick<ImpactSnapshot, 'asOf' | 'definitionVersion' | 'weighting' | 'settled' | 'waveFingerprint'>,
  needs: SnapshotNeeds,
): boolean {
  if (snapshot.definitionVersion !== needs.definitionVersion) return false;
  if (snapshot.weighting !== needs.weighting) return false;
  if (snapshot.settled && snapshot.waveFingerprint === needs.waveFingerprint) return true;
  const age = needs.now.getTime() - Date.parse(snapshot.asOf);
  return age >= 0 && age < needs.maxAgeMs;
}

/** A wave's state record as a string to compare; `none` when the wave has none. */
export function waveFingerprint(state: object | undefined): string {
  if (!state) return 'none';
  const entries = Object.entries(state)
    .filter(([name]) => name !== 'pk' && name !== 'sk')
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(entries);
}
