/**
 * Weighting on aggregate cells: raking (iterative proportional fitting) to population margins,
 * trimming, and weighted estimates with Taylor-linearised standard errors and Kish's design effect.
 *
 * Every respondent in a cell has the same dimension values and therefore the same weight, so all
 * of it works on cell counts and cell sums (n, Σx, Σx²) and never needs a raw response.
 * See docs/weighting.md for the method in words.
 */
import { type Interval, shareEstimate, tCritical } from './estimates.js';

/** The dimension values of one aggregate cell and how many respondents it holds. */
export interface RakingCell {
  dimensions: Readonly<Record<string, string>>;
  n: number;
}

/**
 * One population margin: which category a cell belongs to and the category's population share.
 * `categoryOf` returns undefined when the cell has no value with a target (`_`, `elsewhere`,
 * `diverse`, ...); a category not listed in `targets` counts the same way.
 */
export interface Margin {
  id: string;
  categoryOf: (dimensions: Readonly<Record<string, string>>) => string | undefined;
  /** Relative sizes (persons or percent): normalised to shares over the categories raked to. */
  targets: Readonly<Record<string, number>>;
}

export interface RakeOptions {
  /** Largest allowed gap between a weighted share and its target share (default 1e-8). */
  tolerance?: number;
  /** Full passes over all margins before giving up (default 100). */
  maxIterations?: number;
  /** Weights are capped at cap x the mean weight after raking (default 5; Infinity: no cap). */
  cap?: number;
}

export interface MarginReport {
  id: string;
  /**
   * Target categories without any respondent: they cannot be weighted up, so they are dropped and
   * the other targets are renormalised (their population is spread over the other categories in
   * proportion). A figure weighted this way should say so.
   */
  emptyCategories: string[];
  /** Respondents without a category on this margin: they keep the average adjustment (factor 1). */
  uncategorised: number;
}

export interface RakeResult {
  /** One weight per input cell (each of its respondents carries it), mean 1 over respondents. */
  weights: number[];
  /** False when maxIterations passed before every margin was within tolerance: show unweighted. */
  converged: boolean;
  iterations: number;
  /** Largest gap between a weighted share and its target before trimming. */
  maxDeviation: number;
  margins: MarginReport[];
  /** Cells whose weight was cut to the cap (after trimming margins hold only approximately). */
  cappedCells: number;
}

interface PreparedMargin {
  id: string;
  /** Category index per cell, -1 without one. */
  category: number[];
  shares: number[];
}

function prepare(cells: readonly RakingCell[], margin: Margin): { prepared: PreparedMargin; report: MarginReport } {
  const names = Object.keys(margin.targets);
  const index = new Map(names.map((name, i) => [name, i]));
  const category = cells.map((c) => index.get(margin.categoryOf(c.dimensions) ?? '') ?? -1);
  const counts = names.map(() => 0);
  let uncategorised = 0;
  cells.forEach((c, i) => {
    const k = category[i] ?? -1;
    if (k < 0) uncategorised += c.n;
    else counts[k] = (counts[k] ?? 0) + c.n;
  });
  const emptyCategories = names.filter((_, k) => !(counts[k] ?? 0));
  const kept = names.map((name, k) => ((counts[k] ?? 0) > 0 ? Math.max(0, margin.targets[name] ?? 0) : 0));
  const total = kept.reduce((a, b) => a + b, 0);
  // Nobody with a target on this margin (or no positive target): the margin cannot adjust anyone.
  const shares = total > 0 ? kept.map((v) => v / total) : kept.map(() => 0);
  if (total <= 0) category.fill(-1);
  return {
    prepared: { id: margin.id, category, shares },
    report: { id: margin.id, emptyCategories, uncategorised },
  };
}

/** Weighted totals per category of a margin, and their sum over categorised cells. */
function totals(m: PreparedMargin, cells: readonly RakingCell[], w: readonly number[]) {
  const byCategory = m.shares.map(() => 0);
  cells.forEach((c, i) => {
    const k = m.category[i] ?? -1;
    if (k >= 0) byCategory[k] = (byCategory[k] ?? 0) + c.n * (w[i] ?? 0);
  });
  return { byCategory, sum: byCategory.reduce((a, b) => a + b, 0) };
}

function deviation(m: PreparedMargin, cells: readonly RakingCell[], w: readonly number[]): number {
  const { byCategory, sum } = totals(m, cells, w);
  if (!(sum > 0)) return 0;
  return byCategory.reduce((worst, t, k) => Math.max(worst, Math.abs(t / sum - (m.shares[k] ?? 0))), 0);
}

/**
 * One margin's adjustment. Targets are scaled to the weighted total of the categorised respondents,
 * so that total stays as it was: the weighted mean of the factors is 1, and respondents without a
 * category (factor 1) keep the average adjustment and their share of the whole.
 */
function adjustTo(m: PreparedMargin, cells: readonly RakingCell[], w: number[]): void {
  const { byCategory, sum } = totals(m, cells, w);
  if (!(sum > 0)) return;
  const factor = byCategory.map((t, k) => (t > 0 ? ((m.shares[k] ?? 0) * sum) / t : 1));
  cells.forEach((_, i) => {
    const k = m.category[i] ?? -1;
    if (k >= 0) w[i] = (w[i] ?? 0) * (factor[k] ?? 1);
  });
}

function normalise(cells: readonly RakingCell[], w: readonly number[]): number[] {
  const n = cells.reduce((a, c) => a + c.n, 0);
  const total = cells.reduce((a, c, i) => a + c.n * (w[i] ?? 0), 0);
  return total > 0 ? w.map((x) => (x * n) / total) : w.map(() => 1);
}

/**
 * Caps weights at `cap` x the mean weight and rescales the others so the mean stays 1, repeating
 * until no weight is above the cap (each round caps at least one more cell, so it ends). The result
 * is the fixed point of "cap, then renormalise", reached exactly rather than approached.
 */
export function trimWeights(cells: readonly RakingCell[], weights: readonly number[], cap = 5): number[] {
  if (!(cap >= 1)) throw new RangeError(`the weight cap must be at least 1 (got ${cap})`);
  let w = normalise(cells, weights);
  const n = cells.reduce((a, c) => a + c.n, 0);
  const capped = new Set<number>();
  for (;;) {
    const over = w.flatMap((x, i) => (x > cap && !capped.has(i) ? [i] : []));
    if (over.length === 0) return w;
    for (const i of over) capped.add(i);
    const cappedN = [...capped].reduce((a, i) => a + (cells[i]?.n ?? 0), 0);
    const free = cells.reduce((a, c, i) => a + (capped.has(i) ? 0 : c.n * (w[i] ?? 0)), 0);
    const scale = free > 0 ? (n - cap * cappedN) / free : 1;
    w = w.map((x, i) => (capped.has(i) ? cap : x * scale));
  }
}

/**
 * Rakes the cells of one audience to the margins (iterative proportional fitting, one margin after
 * the other until every weighted share is within `tolerance` of its target), then trims the weights
 * at `cap` x their mean. Weights have mean 1 over respondents, so Σ n_c w_c = Σ n_c.
 */
export function rake(cells: readonly RakingCell[], margins: readonly Margin[], options: RakeOptions = {}): RakeResult {
  const { tolerance = 1e-8, maxIterations = 100, cap = 5 } = options;
  const prepared = margins.map((m) => prepare(cells, m));
  const active = prepared.map((p) => p.prepared);
  let w = cells.map(() => 1);
  let maxDeviation = Math.max(0, ...active.map((m) => deviation(m, cells, w)));
  let iterations = 0;
  while (maxDeviation > tolerance && iterations < maxIterations) {
    for (const m of active) adjustTo(m, cells, w);
    iterations++;
    maxDeviation = Math.max(0, ...active.map((m) => deviation(m, cells, w)));
  }
  w = normalise(cells, w);
  const trimmed = Number.isFinite(cap) ? trimWeights(cells, w, cap) : w;
  return {
    weights: trimmed,
    converged: maxDeviation <= tolerance,
    iterations,
    maxDeviation,
    margins: prepared.map((p) => p.report),
    cappedCells: trimmed.filter((x, i) => x < (w[i] ?? 0) - 1e-12 * cap).length,
  };
}

/** An indicator's sums in one cell (in score units, not hundredths) and the cell's weight. */
export interface WeightedCell {
  weight: number;
  /** Respondents in the cell with a score on the indicator. */
  n: number;
  sum: number;
  sumSq: number;
}

export interface WeightedEstimate {
  /** Weighted mean of the scores (NPS: in points, -100 to 100; share: 0 to 1). */
  estimate: number;
  /** Taylor-linearised standard error (with-replacement, no strata, n / (n - 1) factor). */
  se: number;
  /** Undefined when the effective n is 1 or less. */
  ci: Interval | undefined;
  /** Respondents with a score. */
  n: number;
  /** Kish's effective sample size (Σw)² / Σw². */
  nEff: number;
  /** Kish's design effect of unequal weights n Σw² / (Σw)² (1 when all weights are equal). */
  deff: number;
}

/**
 * What the weighted estimators need of a set of cells, summed (weights are constant within a cell):
 * Σn, Σwn, Σw·S, Σw²n, Σw²·S, Σw²·SS. Sums of groups add up, so a report can build them once per
 * group of cells and combine them.
 */
export interface WeightedSums {
  n: number;
  sw: number;
  swx: number;
  sw2: number;
  sw2x: number;
  sw2xx: number;
}

export function emptyWeightedSums(): WeightedSums {
  return { n: 0, sw: 0, swx: 0, sw2: 0, sw2x: 0, sw2xx: 0 };
}

/** Adds one cell to `into` (and returns it). */
export function addWeightedCell(into: WeightedSums, c: WeightedCell): WeightedSums {
  const w2 = c.weight * c.weight;
  into.n += c.n;
  into.sw += c.weight * c.n;
  into.swx += c.weight * c.sum;
  into.sw2 += w2 * c.n;
  into.sw2x += w2 * c.sum;
  into.sw2xx += w2 * c.sumSq;
  return into;
}

/** Adds the sums of another group to `into` (and returns it). */
export function addWeightedSums(into: WeightedSums, other: WeightedSums): WeightedSums {
  into.n += other.n;
  into.sw += other.sw;
  into.swx += other.swx;
  into.sw2 += other.sw2;
  into.sw2x += other.sw2x;
  into.sw2xx += other.sw2xx;
  return into;
}

export function weightedSumsOf(cells: readonly WeightedCell[]): WeightedSums {
  const sums = emptyWeightedSums();
  for (const c of cells) addWeightedCell(sums, c);
  return sums;
}

function kishOf(s: WeightedSums): { n: number; nEff: number; deff: number } {
  const nEff = s.sw2 > 0 ? (s.sw * s.sw) / s.sw2 : 0;
  return { n: s.n, nEff, deff: nEff > 0 ? s.n / nEff : Number.NaN };
}

/** Kish's effective sample size and design effect of the weights of the respondents with a score. */
export function kish(cells: readonly WeightedCell[]): { n: number; nEff: number; deff: number } {
  return kishOf(weightedSumsOf(cells));
}

/**
 * Weighted mean and its linearised standard error. For a ratio mean m = Σ w x / Σ w the residuals
 * are w_i (x_i - m) / Σw; with weights constant in a cell their squares sum per cell to
 * w_c² (SS_c - 2 m S_c + n_c m²), and over cells to Σw²SS - 2 m Σw²S + m² Σw²n.
 */
function linearised(s: WeightedSums) {
  const { n, nEff, deff } = kishOf(s);
  if (!(n > 0 && s.sw > 0)) return undefined;
  const mean = s.swx / s.sw;
  const squares = s.sw2xx - 2 * mean * s.sw2x + mean * mean * s.sw2;
  // As in meanEstimate: equal scores leave only rounding noise of either sign, which is no spread.
  const spread = squares <= 64 * Number.EPSILON * s.sw2xx ? 0 : squares;
  const se = n > 1 ? Math.sqrt((n / (n - 1)) * spread) / s.sw : Number.NaN;
  return { mean, se, n, nEff, deff };
}

function sumsOf(cells: readonly WeightedCell[] | WeightedSums): WeightedSums {
  return Array.isArray(cells) ? weightedSumsOf(cells) : (cells as WeightedSums);
}

/** Weighted mean (index, mean indicators) with a t interval on nEff - 1 degrees of freedom. */
export function weightedMean(
  cells: readonly WeightedCell[] | WeightedSums,
  level = 0.95,
): WeightedEstimate | undefined {
  const l = linearised(sumsOf(cells));
  if (!l) return undefined;
  const half = l.nEff > 1 && Number.isFinite(l.se) ? tCritical(level, l.nEff - 1) * l.se : undefined;
  return {
    estimate: l.mean,
    se: l.se,
    ci: half === undefined ? undefined : { lo: l.mean - half, hi: l.mean + half },
    n: l.n,
    nEff: l.nEff,
    deff: l.deff,
  };
}

/**
 * Weighted share (scores 0/1). The interval is Wilson's with the effective n in place of n: the
 * usual way to carry the design effect into an interval that stays inside [0, 1].
 */
export function weightedShare(
  cells: readonly WeightedCell[] | WeightedSums,
  level = 0.95,
): WeightedEstimate | undefined {
  const l = linearised(sumsOf(cells));
  if (!l) return undefined;
  const wilson = l.nEff > 0 ? shareEstimate(l.mean * l.nEff, l.nEff, level) : undefined;
  return { estimate: l.mean, se: l.se, ci: wilson?.ci, n: l.n, nEff: l.nEff, deff: l.deff };
}

/** Weighted net promoter score in points (scores +1/0/-1, x 100) with a t interval on nEff - 1. */
export function weightedNps(cells: readonly WeightedCell[] | WeightedSums, level = 0.95): WeightedEstimate | undefined {
  const m = weightedMean(cells, level);
  if (!m) return undefined;
  const ci = m.ci && { lo: 100 * m.ci.lo, hi: 100 * m.ci.hi };
  return { ...m, estimate: 100 * m.estimate, se: 100 * m.se, ci };
}

/** The weighted estimate for an indicator kind: index and mean as means, share, NPS in points. */
export function weightedEstimate(
  kind: 'index' | 'mean' | 'share' | 'nps',
  cells: readonly WeightedCell[] | WeightedSums,
  level = 0.95,
): WeightedEstimate | undefined {
  if (kind === 'share') return weightedShare(cells, level);
  if (kind === 'nps') return weightedNps(cells, level);
  return weightedMean(cells, level);
}
