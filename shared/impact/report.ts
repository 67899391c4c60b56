import type { Counters } from '../aggregate/contribution.js';
import { MISSING } from '../response/build.js';
import { type Adjustment, adjust } from '../stats/adjust.js';
import type { Interval } from '../stats/estimates.js';
import type { Audience, Indicator, SurveyDefinition, Text } from '../survey/schema.js';
import { changeOf, type Figure, type Flag, figureOf, suppressed, UNRELIABLE_BELOW } from './estimate.js';
import { type CellFilter, type CellView, type IndicatorSums, indicatorSums, viewCells } from './sums.js';

export interface ImpactQuery {
  audience: Audience;
  /** One city code; all respondents of the audience when absent. */
  city?: string | undefined;
  /** The two waves to compare; by default the baseline against every follow-up. */
  compare?: { from: string; to: string } | undefined;
  adjustment?: Adjustment;
  level?: number;
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

export interface ImpactReport {
  surveyId: string;
  definitionVersion: string;
  audience: Audience;
  city: string | null;
  level: number;
  minCellSize: number;
  unreliableBelow: number;
  /** The correction applied to each family of tests shown (changes, exposure, gap) separately. */
  adjustment: Adjustment;
  indicators: IndicatorImpact[];
  exposure: ExposureRow[];
  gap: GapRow[];
}

const AWARE = 'yes';
const NOT_AWARE = 'no';

/** Indicators tagged on a question the audience is asked. */
function indicatorsOf(definition: SurveyDefinition, audience: Audience): Indicator[] {
  const questions = definition.audiences[audience]?.sections.flatMap((s) => s.questions) ?? [];
  return definition.indicators.filter((i) => questions.some((q) => q.indicator === i.id));
}

/** Indicators whose question is itself the exposure question (comparing it by exposure says nothing). */
function exposureIndicators(definition: SurveyDefinition): Set<string> {
  const ids = new Set<string>();
  for (const spec of Object.values(definition.audiences)) {
    for (const q of spec?.sections.flatMap((s) => s.questions) ?? []) {
      if (q.dimension === 'exposure' && q.indicator) ids.add(q.indicator);
    }
  }
  return ids;
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
function tested(kind: Indicator['kind'], a: IndicatorSums, fa: Figure, b: IndicatorSums, fb: Figure, level: number) {
  const flags = [...new Set([...fa.flags, ...fb.flags])];
  if (flags.includes('suppressed') || fa.estimate === null || fb.estimate === null) return untested(flags);
  const change = changeOf(kind, a, b, level);
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
function adjustFamily(rows: Tested[], method: Adjustment, level: number): void {
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

/**
 * Secondary suppression for figures listed beside their total: when exactly one is suppressed, the
 * smallest shown one is hidden too, so the hidden one cannot be recovered by subtraction.
 */
export function suppressComplement<T extends Figure>(rows: T[]): T[] {
  const hidden = rows.filter((r) => r.flags.includes('suppressed'));
  if (hidden.length !== 1) return rows;
  const shown = rows.filter((r) => !r.flags.includes('suppressed') && (r.n ?? 0) > 0);
  const smallest = shown.reduce<T | undefined>((min, r) => (min && (min.n ?? 0) <= (r.n ?? 0) ? min : r), undefined);
  return rows.map((r) => (r === smallest ? { ...r, ...suppressed() } : r));
}

/** The city values a breakdown lists: campaign cities, then "elsewhere" and not given if present. */
function cityValues(definition: SurveyDefinition, cells: CellView[][]): string[] {
  const present = new Set(cells.flat().map((c) => c.dimensions.city));
  const ordered = definition.campaign.cities.map((c) => c.code);
  const others = [...present]
    .filter((c) => !ordered.includes(c))
    .sort((a, b) => (a === MISSING ? 1 : b === MISSING ? -1 : a.localeCompare(b)));
  return [...ordered, ...others];
}

/**
 * What a campaign lead reads after a wave: every indicator the audience is asked, per wave, with
 * intervals and flags; changes between waves with adjusted p-values; the exposure contrast inside
 * each wave; the perception gap between businesses and the public. Computed from aggregate cells only.
 */
export function impactReport(
  definition: SurveyDefinition,
  cellsByWave: Map<string, Map<string, Counters>>,
  query: ImpactQuery,
): ImpactReport {
  const level = query.level ?? 0.95;
  const k = definition.settings.minCellSize;
  const method = query.adjustment ?? 'holm';
  const views = new Map(definition.waves.map((w) => [w.id, viewCells(cellsByWave.get(w.id) ?? new Map())]));
  const cellsOf = (waveId: string) => views.get(waveId) ?? [];
  const inCity =
    (city: string | undefined): CellFilter =>
    (c) =>
      city === undefined || c.dimensions.city === city;
  const ofAudience =
    (audience: string, city: string | undefined): CellFilter =>
    (c) =>
      c.audience === audience && inCity(city)(c);
  const keep = ofAudience(query.audience, query.city);
  const pairs = comparisons(definition, query);
  const cities = cityValues(definition, [...views.values()]);

  const indicators = indicatorsOf(definition, query.audience).map((indicator): IndicatorImpact => {
    const sums = new Map(definition.waves.map((w) => [w.id, indicatorSums(cellsOf(w.id), indicator.id, keep)]));
    const sumsOf = (waveId: string) => sums.get(waveId) ?? { n: 0, s: 0, ss: 0 };
    const waves = definition.waves.map((w) => ({ waveId: w.id, ...figureOf(indicator.kind, sumsOf(w.id), k, level) }));
    const figure = (waveId: string) => waves.find((w) => w.waveId === waveId) ?? suppressed();
    const changes = pairs.map(({ from, to }) => ({
      from,
      to,
      ...tested(indicator.kind, sumsOf(from), figure(from), sumsOf(to), figure(to), level),
    }));
    const byCity =
      query.city !== undefined
        ? []
        : definition.waves.map((w) => ({
            waveId: w.id,
            rows: suppressComplement(
              cities.map((city) => ({
                city,
                ...figureOf(
                  indicator.kind,
                  indicatorSums(cellsOf(w.id), indicator.id, ofAudience(query.audience, city)),
                  k,
                  level,
                ),
              })),
            ),
          }));
    return { id: indicator.id, kind: indicator.kind, label: indicator.label, waves, changes, cities: byCity };
  });
  adjustFamily(
    indicators.flatMap((i) => i.changes),
    method,
    level,
  );

  const skip = exposureIndicators(definition);
  const exposure = indicatorsOf(definition, query.audience)
    .filter((i) => !skip.has(i.id))
    .flatMap((indicator) =>
      definition.waves.map((w): ExposureRow => {
        const side = (value: string) =>
          indicatorSums(cellsOf(w.id), indicator.id, (c) => keep(c) && c.dimensions.exposure === value);
        const [notAwareSums, awareSums] = [side(NOT_AWARE), side(AWARE)];
        const notAware = figureOf(indicator.kind, notAwareSums, k, level);
        const aware = figureOf(indicator.kind, awareSums, k, level);
        return {
          indicator: indicator.id,
          waveId: w.id,
          aware,
          notAware,
          ...tested(indicator.kind, notAwareSums, notAware, awareSums, aware, level),
        };
      }),
    )
    .filter((row) => row.aware.n !== 0 || row.notAware.n !== 0);
  adjustFamily(exposure, method, level);

  const gap = perceptionGap(definition, views, cities, k, level);
  adjustFamily(gap, method, level);

  return {
    surveyId: definition.id,
    definitionVersion: definition.version,
    audience: query.audience,
    city: query.city ?? null,
    level,
    minCellSize: k,
    unreliableBelow: UNRELIABLE_BELOW,
    adjustment: method,
    indicators,
    exposure,
    gap,
  };
}

/**
 * Self-image against outside image: each index indicator asked of both businesses and the public
 * (the shared image battery), per wave, overall and per city. City figures of each side get
 * secondary suppression against that side's total.
 */
function perceptionGap(
  definition: SurveyDefinition,
  views: Map<string, CellView[]>,
  cities: string[],
  k: number,
  level: number,
): GapRow[] {
  const shared = indicatorsOf(definition, 'business').filter(
    (i) => i.kind === 'index' && indicatorsOf(definition, 'public').some((p) => p.id === i.id),
  );
  const rows: GapRow[] = [];
  for (const indicator of shared) {
    for (const wave of definition.waves) {
      const cells = views.get(wave.id) ?? [];
      const sums = (audience: string, city: string | null) =>
        indicatorSums(
          cells,
          indicator.id,
          (c) => c.audience === audience && (city === null || c.dimensions.city === city),
        );
      const side = (audience: string) =>
        suppressComplement(
          cities.map((city) => ({ city, ...figureOf(indicator.kind, sums(audience, city), k, level) })),
        );
      const self = side('business');
      const outside = side('public');
      for (const city of [null, ...cities]) {
        const selfSums = sums('business', city);
        const outsideSums = sums('public', city);
        if (selfSums.n === 0 && outsideSums.n === 0) continue;
        const pick = (list: (Figure & { city: string })[], total: IndicatorSums): Figure | undefined => {
          if (city === null) return figureOf(indicator.kind, total, k, level);
          const row = list.find((r) => r.city === city);
          return row && { n: row.n, estimate: row.estimate, se: row.se, ci: row.ci, flags: row.flags };
        };
        const selfFigure = pick(self, selfSums);
        const outsideFigure = pick(outside, outsideSums);
        if (!selfFigure || !outsideFigure) continue;
        rows.push({
          indicator: indicator.id,
          waveId: wave.id,
          city,
          self: selfFigure,
          outside: outsideFigure,
          ...tested(indicator.kind, outsideSums, outsideFigure, selfSums, selfFigure, level),
        });
      }
    }
  }
  return rows;
}
