import type { Counters } from '../aggregate/contribution.js';
import { RESPONDENTS, type WaveGate } from '../disclosure/wave-gate.js';
import { MISSING } from '../response/build.js';
import { type Adjustment, adjust } from '../stats/adjust.js';
import type { Change } from '../stats/compare.js';
import type { Interval } from '../stats/estimates.js';
import {
  addWeightedCell,
  addWeightedSums,
  emptyWeightedSums,
  type WeightedSums,
  weightedEstimate,
} from '../stats/weighting.js';
import type { Audience, Indicator, SurveyDefinition, Target, Text } from '../survey/schema.js';
import { ANY_EXPOSURE, answerCountsOf, answerQuestions, channelOfMeasure, questionMeasure } from './answers.js';
import { type ChannelWave, channelsOf, distributionsOf, type QuestionDistribution } from './distributions.js';
import {
  changeOf,
  collecting,
  type Figure,
  type Flag,
  figureOf,
  suppressed,
  UNRELIABLE_BELOW,
  weightedChange,
  weightedFigure,
} from './estimate.js';
import { AWARE, exposedAudiences, exposureIndicators, indexGate } from './gate.js';
import { type Summary, summaryOf } from './summary.js';
import { type CellView, type IndicatorSums, viewCells } from './sums.js';
import { type TargetResult, targetResult } from './targets.js';

export interface ImpactQuery {
  audience: Audience;
  /** One city code; all respondents of the audience when absent. */
  city?: string | undefined;
  /** The two waves to compare; by default the baseline against every follow-up. */
  compare?: { from: string; to: string } | undefined;
  adjustment?: Adjustment;
  level?: number;
  /** Today as an ISO date, for the targets' deadlines (shared code takes no clock of its own). */
  today?: string;
}

export interface WaveFigure extends Figure {
  waveId: string;
}

/** A tested difference (b - a), its adjusted p-value and whether it is significant after adjustment. */
export interface Tested {
  delta: number | null;
  ci: Interval | null;
  p: number | null;
  pAdjusted: number | null;
  significant: boolean;
  test: string | null;
  flags: Flag[];
}

export interface ChangeRow extends Tested {
  from: string;
  to: string;
}

export interface IndicatorImpact {
  id: string;
  kind: Indicator['kind'];
  label: Text;
  waves: WaveFigure[];
  changes: ChangeRow[];
  /** Per city (campaign cities, "elsewhere", not given), per wave; only without a city filter. */
  cities: { waveId: string; rows: (Figure & { city: string })[] }[];
}

export interface ExposureRow extends Tested {
  indicator: string;
  waveId: string;
  aware: Figure;
  notAware: Figure;
}

export interface GapRow extends Tested {
  indicator: string;
  waveId: string;
  /** A city code, or null for all respondents. */
  city: string | null;
  /** Businesses about themselves. */
  self: Figure;
  /** The public about Handwerk. */
  outside: Figure;
}

/** A weight for every cell of a wave (1 where the audience is not weighted). */
export interface CellWeights {
  weightOf(waveId: string, cell: CellView): number;
}

export interface ImpactReport {
  surveyId: string;
  definitionVersion: string;
  audience: Audience;
  city: string | null;
  /** Figures weighted to population margins (then with nEff and deff). */
  weighted: boolean;
  level: number;
  minCellSize: number;
  unreliableBelow: number;
  /** The correction applied to each family of tests shown (changes, exposure, gap) separately. */
  adjustment: Adjustment;
  /** The wave pair asked for (`from`/`to`); null for the baseline against every follow-up. */
  compared: { from: string; to: string } | null;
  /** One line per indicator to read first: the change, its reading in words, the target's state. */
  summary: Summary;
  /** The audience's targets (see shared/impact/targets.ts). */
  targets: TargetResult[];
  indicators: IndicatorImpact[];
  exposure: ExposureRow[];
  gap: GapRow[];
  /** Every closed question of the audience leads see, per wave (see shared/impact/distributions.ts). */
  distributions: QuestionDistribution[];
  /** The channels that brought the audience's responses, per wave; none with a city filter. */
  channels: ChannelWave[];
}

/** Indicators tagged on a question the audience is asked. */
function indicatorsOf(definition: SurveyDefinition, audience: Audience): Indicator[] {
  const questions = definition.audiences[audience]?.sections.flatMap((s) => s.questions) ?? [];
  return definition.indicators.filter((i) => questions.some((q) => q.indicator === i.id));
}

/** Default comparisons: the baseline against every follow-up (none without a baseline). */
function comparisons(definition: SurveyDefinition, query: ImpactQuery): { from: string; to: string }[] {
  if (query.compare) return [query.compare];
  const baseline = definition.waves.find((w) => w.kind === 'baseline');
  if (!baseline) return [];
  return definition.waves.filter((w) => w.kind === 'followup').map((w) => ({ from: baseline.id, to: w.id }));
}

function untested(flags: Flag[]): Tested {
  return { delta: null, ci: null, p: null, pAdjusted: null, significant: false, test: null, flags };
}

/**
 * A tested difference between two groups, unless either side is suppressed. A side below
 * `UNRELIABLE_BELOW` is still tested but never marked significant.
 */
function tested(fa: Figure, fb: Figure, changeOf: () => Change | undefined): Tested {
  const flags = [...new Set([...fa.flags, ...fb.flags])];
  if (flags.includes('suppressed') || fa.estimate === null || fb.estimate === null) return untested(flags);
  const change = changeOf();
  if (!change) return untested(flags);
  return {
    delta: change.delta,
    ci: change.ci,
    p: change.p,
    pAdjusted: null,
    significant: false,
    test: change.test,
    flags,
  } satisfies Tested;
}

/** Holm or Benjamini-Hochberg over one family of tests; significant only where reliable. */
export function adjustFamily(rows: Tested[], method: Adjustment, level: number): void {
  const withP = rows.filter((r) => r.p !== null);
  const adjusted = adjust(
    withP.map((r) => r.p as number),
    method,
  );
  withP.forEach((row, i) => {
    row.pAdjusted = adjusted[i] ?? null;
    row.significant = row.pAdjusted !== null && row.pAdjusted < 1 - level && !row.flags.includes('unreliable');
  });
}

/** The city values a breakdown lists: campaign cities, then "elsewhere" and not given if present. */
function cityValues(definition: SurveyDefinition, indexes: Iterable<WaveIndex>): string[] {
  const present = new Set<string>();
  for (const index of indexes) for (const byCity of index.values()) for (const city of byCity.keys()) present.add(city);
  const ordered = definition.campaign.cities.map((c) => c.code);
  const others = [...present]
    .filter((c) => !ordered.includes(c))
    .sort((a, b) => (a === MISSING ? 1 : b === MISSING ? -1 : a.localeCompare(b)));
  return [...ordered, ...others];
}

/** One group's indicator figure with what a test against another group needs. */
interface Measured {
  kind: Indicator['kind'];
  sums: IndicatorSums;
  figure: Figure;
}

/** Which respondents a figure is about: an audience, optionally one city and one side of exposure. */
interface Selection {
  audience: string;
  /** A city code, or several together; all cities when null or absent. */
  city?: string | readonly string[] | null | undefined;
  /** Those who know the campaign (answered yes), or everyone else; both when absent. */
  exposure?: 'aware' | 'other';
}

/**
 * One measure's sums over a group of cells: for an indicator plain (in hundredths, as stored) and
 * weighted; for the respondents and a channel the count alone; for a closed question those who
 * answered (`n`, weighted: Σw and Σw²) and, in `options`, the count and Σw per answer code.
 */
export interface GroupSums {
  n: number;
  s: number;
  ss: number;
  weighted: WeightedSums;
  options?: Record<string, { n: number; sw: number }>;
}

/**
 * A wave's sums per audience, city and exposure answer: audience -> city -> exposure -> measure ->
 * sums. Measures: each indicator by its id; the group's respondents under `RESPONDENTS` (`n` only,
 * with or without a score); and, under the exposure key `ANY_EXPOSURE` (summed over exposure
 * answers, as they are never split by it), each closed question leads see under
 * `questionMeasure(id)` and each channel's responses under `channelMeasure(code)`.
 */
export type WaveIndex = Map<string, Map<string, Map<string, Map<string, GroupSums>>>>;

/** The pseudo indicator id under which a group's respondents are counted. */
export { RESPONDENTS };

function child<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

const emptyGroup = (): GroupSums => ({ n: 0, s: 0, ss: 0, weighted: emptyWeightedSums() });

/**
 * Sums every measure over the cells of each audience x city x exposure group in one pass, so a
 * figure adds up a few groups instead of visiting cells (a report asks for hundreds of figures).
 */
export function indexWave(
  waveId: string,
  cells: CellView[],
  definition: SurveyDefinition,
  weights: CellWeights | undefined,
): WaveIndex {
  const names = definition.indicators.map((i) => ({
    id: i.id,
    n: `@ind#${i.id}#n`,
    s: `@ind#${i.id}#s`,
    ss: `@ind#${i.id}#ss`,
  }));
  const questions = answerQuestions(definition);
  const index: WaveIndex = new Map();
  for (const cell of cells) {
    const weight = weights ? weights.weightOf(waveId, cell) : 1;
    const byCity = child(index, cell.audience, () => new Map());
    const byExposure = child(byCity, cell.dimensions.city, () => new Map());
    const byMeasure = child(byExposure, cell.dimensions.exposure, () => new Map<string, GroupSums>());
    const unsplit = () => child(byExposure, ANY_EXPOSURE, () => new Map<string, GroupSums>());
    const respondents = child(byMeasure, RESPONDENTS, emptyGroup);
    respondents.n += cell.counters.n ?? 0;
    for (const name of names) {
      const n = cell.counters[name.n] ?? 0;
      if (n === 0) continue;
      const s = cell.counters[name.s] ?? 0;
      const ss = cell.counters[name.ss] ?? 0;
      const sums = child(byMeasure, name.id, emptyGroup);
      sums.n += n;
      sums.s += s;
      sums.ss += ss;
      addWeightedCell(sums.weighted, { weight, n, sum: s / 100, sumSq: ss / 10_000 });
    }
    for (const q of questions.get(cell.audience as Audience) ?? []) {
      const counts = answerCountsOf(q, cell.counters);
      if (counts.n === 0) continue;
      const sums = child(unsplit(), questionMeasure(q.id), () => ({ ...emptyGroup(), options: {} }));
      sums.n += counts.n;
      addWeightedCell(sums.weighted, { weight, n: counts.n, sum: 0, sumSq: 0 });
      const options = sums.options ?? {};
      for (const [code, n] of Object.entries(counts.options)) {
        const option = options[code] ?? { n: 0, sw: 0 };
        option.n += n;
        option.sw += weight * n;
        options[code] = option;
      }
    }
    for (const [name, n] of Object.entries(cell.counters)) {
      if (n === 0 || channelOfMeasure(name) === undefined) continue;
      child(unsplit(), name, emptyGroup).n += n;
    }
  }
  return index;
}

/**
 * How figures are estimated and tested: from plain sums, or with cell weights (then every figure
 * also carries the effective n and design effect, and tests are z tests on weighted estimates).
 */
function estimator(indexOf: (waveId: string) => WaveIndex | undefined, k: number, level: number, weighted: boolean) {
  const measure = (indicator: Indicator, waveId: string, selection: Selection): Measured => {
    const { audience, city, exposure } = selection;
    const plain = { n: 0, s: 0, ss: 0 };
    const sumsW = emptyWeightedSums();
    const byCity = indexOf(waveId)?.get(audience);
    const cities = !byCity
      ? []
      : city === undefined || city === null
        ? [...byCity.values()]
        : [city].flat().map((c) => byCity.get(c));
    for (const byExposure of cities) {
      if (!byExposure) continue;
      const groups = [...byExposure]
        .filter(([answer]) => exposure === undefined || (answer === AWARE) === (exposure === 'aware'))
        .map(([, group]) => group);
      for (const group of groups) {
        const sums = group?.get(indicator.id);
        if (!sums) continue;
        plain.n += sums.n;
        plain.s += sums.s;
        plain.ss += sums.ss;
        addWeightedSums(sumsW, sums.weighted);
      }
    }
    // Cells store scores in hundredths (integers, see `contributionOf`): back to the indicator's units.
    const sums: IndicatorSums = { n: plain.n, s: plain.s / 100, ss: plain.ss / 10_000 };
    if (!weighted) return { kind: indicator.kind, sums, figure: figureOf(indicator.kind, sums, k, level) };
    const estimate = sumsW.n > 0 ? weightedEstimate(indicator.kind, sumsW, level) : undefined;
    return { kind: indicator.kind, sums, figure: weightedFigure(sums.n, estimate, k) };
  };
  const test = (a: Measured, b: Measured): Tested =>
    tested(a.figure, b.figure, () =>
      weighted ? weightedChange(a.figure, b.figure, level) : changeOf(a.kind, a.sums, b.sums, level),
    );
  return { measure, test };
}

/**
 * What a campaign lead reads after a wave: every indicator the audience is asked, per wave, with
 * intervals and flags; changes between waves with adjusted p-values; the exposure contrast inside
 * each wave; the perception gap between businesses and the public. Computed from aggregate cells
 * only; with `weights`, weighted (see `shared/impact/weights.ts`).
 */
export function impactReport(
  definition: SurveyDefinition,
  cellsByWave: Map<string, Map<string, Counters>>,
  query: ImpactQuery,
  weights?: CellWeights,
  released?: ReadonlySet<string>,
): ImpactReport {
  const indexes = new Map(
    definition.waves.map((w) => [
      w.id,
      indexWave(w.id, viewCells(cellsByWave.get(w.id) ?? new Map()), definition, weights),
    ]),
  );
  return impactReportOf(definition, indexes, query, weights !== undefined, released);
}

/**
 * The audience's targets, each with the figure of its group (the audience, or its cities together)
 * at the wave that checks it: the wave the target names once that has a figure, else the latest
 * wave with one (the state so far).
 */
function targetsOf(
  definition: SurveyDefinition,
  query: ImpactQuery,
  figureAt: (indicator: Indicator, waveId: string, cities: readonly string[] | null) => Measured,
): { target: Target; kind: Indicator['kind']; figure: Figure; waveId: string | null }[] {
  return (definition.targets ?? [])
    .filter((t) => t.audience === query.audience)
    .flatMap((target) => {
      const indicator = definition.indicators.find((i) => i.id === target.indicator);
      if (!indicator) return [];
      const at = (waveId: string) => figureAt(indicator, waveId, target.cities ?? null).figure;
      const named = target.wave ? { waveId: target.wave, figure: at(target.wave) } : undefined;
      const latest = [...definition.waves]
        .reverse()
        .map((w) => ({ waveId: w.id, figure: at(w.id) }))
        .find((w) => w.figure.n !== 0 && !w.figure.flags.includes('collecting'));
      const chosen = (named && named.figure.estimate !== null ? named : latest) ?? named;
      const none: Figure = { n: 0, estimate: null, se: null, ci: null, flags: [] };
      return [{ target, kind: indicator.kind, figure: chosen?.figure ?? none, waveId: chosen?.waveId ?? null }];
    });
}

/**
 * The impact report from each wave's index (see `indexWave`): weighted from its weighted sums.
 * Figures of waves not `released` (still collecting; by default every wave is) are not shown: a
 * figure that moves with each answer gives that answer away to whoever reads it twice. What the
 * others show passes the wave's disclosure gate (shared/disclosure/wave-gate.ts). Waves in
 * `withoutAnswers` were released before answers were kept (see `ImpactCells`).
 */
export function impactReportOf(
  definition: SurveyDefinition,
  indexes: Map<string, WaveIndex>,
  query: ImpactQuery,
  weighted: boolean,
  released: ReadonlySet<string> = new Set(definition.waves.map((w) => w.id)),
  withoutAnswers: ReadonlySet<string> = new Set(),
): ImpactReport {
  const level = query.level ?? 0.95;
  const k = definition.settings.minCellSize;
  const method = query.adjustment ?? 'holm';
  const ofAudience = (audience: string, city: string | null | undefined): Selection => ({ audience, city });
  const keep = ofAudience(query.audience, query.city);
  const pairs = comparisons(definition, query);
  const cities = cityValues(definition, indexes.values());
  const estimate = estimator((waveId) => indexes.get(waveId), k, level, weighted);
  const { test } = estimate;
  const gates = new Map<string, WaveGate>(
    definition.waves.map((w) => [w.id, indexGate(definition, indexes.get(w.id))]),
  );
  // Every figure goes through the gate: hidden in one view, hidden in all (and nothing of it kept).
  const measure = (indicator: Indicator, waveId: string, selection: Selection): Measured => {
    const measured = estimate.measure(indicator, waveId, selection);
    if (!released.has(waveId)) return { ...measured, figure: collecting(weighted) };
    const gate = gates.get(waveId);
    // Several cities together are shown only where each is: else the sum would give a hidden one away.
    const hidden = [selection.city ?? null]
      .flat()
      .some((city) => gate?.hidden(selection.audience, indicator.id, city, selection.exposure));
    return hidden ? { ...measured, figure: suppressed(weighted) } : measured;
  };

  const indicators = indicatorsOf(definition, query.audience).map((indicator): IndicatorImpact => {
    const measured = new Map(definition.waves.map((w) => [w.id, measure(indicator, w.id, keep)]));
    const at = (waveId: string) => measured.get(waveId) ?? measure(indicator, waveId, keep);
    const waves = definition.waves.map((w) => ({ waveId: w.id, ...at(w.id).figure }));
    const changes = pairs.map(({ from, to }) => ({ from, to, ...test(at(from), at(to)) }));
    const byCity =
      query.city !== undefined
        ? []
        : definition.waves.map((w) => ({
            waveId: w.id,
            rows: cities.map((city) => ({
              city,
              ...measure(indicator, w.id, ofAudience(query.audience, city)).figure,
            })),
          }));
    return { id: indicator.id, kind: indicator.kind, label: indicator.label, waves, changes, cities: byCity };
  });
  adjustFamily(
    indicators.flatMap((i) => i.changes),
    method,
    level,
  );

  const skip = exposureIndicators(definition);
  // An audience never asked whether it knows the campaign has no one to contrast (a business
  // survey without a campaign): no rows, rather than a table of figures that are never there.
  const asked = exposedAudiences(definition).has(query.audience);
  const exposure = indicatorsOf(definition, query.audience)
    .filter((i) => asked && !skip.has(i.id))
    .flatMap((indicator) =>
      definition.waves.map((w): ExposureRow => {
        const side = (value: 'aware' | 'other') => measure(indicator, w.id, { ...keep, exposure: value });
        const [notAware, aware] = [side('other'), side('aware')];
        return {
          indicator: indicator.id,
          waveId: w.id,
          aware: aware.figure,
          notAware: notAware.figure,
          ...test(notAware, aware),
        };
      }),
    )
    .filter((row) => row.aware.n !== 0 || row.notAware.n !== 0);
  adjustFamily(exposure, method, level);

  // Self-image against outside image: each index indicator asked of both businesses and the public
  // (the shared image battery), per wave, overall and per city, each side as its own table shows it.
  const shared = indicatorsOf(definition, 'business').filter(
    (i) => i.kind === 'index' && indicatorsOf(definition, 'public').some((p) => p.id === i.id),
  );
  const gap: GapRow[] = [];
  for (const indicator of shared) {
    for (const wave of definition.waves) {
      for (const city of [null, ...cities]) {
        const self = measure(indicator, wave.id, ofAudience('business', city));
        const outside = measure(indicator, wave.id, ofAudience('public', city));
        if (self.sums.n === 0 && outside.sums.n === 0) continue;
        gap.push({
          indicator: indicator.id,
          waveId: wave.id,
          city,
          self: self.figure,
          outside: outside.figure,
          ...test(outside, self),
        });
      }
    }
  }
  adjustFamily(gap, method, level);

  const targets = targetsOf(definition, query, (indicator, waveId, cities) =>
    measure(indicator, waveId, { audience: query.audience, city: cities }),
  ).map(({ target, kind, figure, waveId }) =>
    targetResult(target, kind, figure, waveId, { level, weighted, today: query.today ?? '0000-01-01' }),
  );
  const answers = { audience: query.audience, city: query.city ?? null, weighted, released, withoutAnswers };
  return {
    surveyId: definition.id,
    definitionVersion: definition.version,
    audience: query.audience,
    city: query.city ?? null,
    weighted,
    level,
    minCellSize: k,
    unreliableBelow: UNRELIABLE_BELOW,
    adjustment: method,
    compared: query.compare ?? null,
    summary: summaryOf(definition, indicators, targets, query.compare, query.city),
    targets,
    indicators,
    exposure,
    gap,
    distributions: distributionsOf(definition, indexes, answers),
    channels: channelsOf(definition, indexes, answers),
  };
}
