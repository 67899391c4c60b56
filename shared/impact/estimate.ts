import { type Change, npsChange, proportionChange, welchChange, zChange } from '../stats/compare.js';
import { type Interval, meanEstimate, npsEstimate, shareEstimate } from '../stats/estimates.js';
import type { WeightedEstimate } from '../stats/weighting.js';
import type { Indicator } from '../survey/schema.js';
import type { IndicatorSums } from './sums.js';

/**
 * Why a figure is not shown, or shown with a warning: suppressed (a small group, or hidden so that
 * one cannot be worked out), collecting (the wave still collects: its figures come when it closes),
 * unreliable (fewer than 30).
 */
export type Flag = 'suppressed' | 'collecting' | 'unreliable';

/** Figures based on fewer respondents are shown but marked, and never get a significance marker. */
export const UNRELIABLE_BELOW = 30;

export interface Figure {
  /** Respondents with a score; null when the figure is suppressed (the count would give it away). */
  n: number | null;
  /** Index 0-100, mean on its scale, share 0-1 or NPS points; null when suppressed or not estimable. */
  estimate: number | null;
  se: number | null;
  ci: Interval | null;
  flags: Flag[];
  /** Weighted figures only: Kish's effective n and design effect of the weights. */
  nEff?: number | null;
  deff?: number | null;
}

export function flagsFor(n: number, minCellSize: number): Flag[] {
  if (n > 0 && n < minCellSize) return ['suppressed'];
  // No answers at all: nothing to be unsure about (the figure is simply not there).
  return n > 0 && n < UNRELIABLE_BELOW ? ['unreliable'] : [];
}

/** A hidden figure: nothing of it is kept, not even the effective n or design effect of a weighted one. */
export function suppressed(weighted = false): Figure {
  return {
    n: null,
    estimate: null,
    se: null,
    ci: null,
    flags: ['suppressed'],
    ...(weighted ? { nEff: null, deff: null } : {}),
  };
}

/** The figure of a wave still collecting: none yet. */
export function collecting(weighted = false): Figure {
  return { ...suppressed(weighted), flags: ['collecting'] };
}

/** NPS sums are of +1/0/-1 scores: Σ = promoters - detractors and Σ² = promoters + detractors. */
function promotersAndDetractors(sums: IndicatorSums) {
  return { promoters: Math.round((sums.ss + sums.s) / 2), detractors: Math.round((sums.ss - sums.s) / 2) };
}

/** The estimate of one indicator from its sums, hidden below the minimum cell size. */
export function figureOf(kind: Indicator['kind'], sums: IndicatorSums, minCellSize: number, level = 0.95): Figure {
  const flags = flagsFor(sums.n, minCellSize);
  if (flags.includes('suppressed')) return suppressed();
  const none: Figure = { n: sums.n, estimate: null, se: null, ci: null, flags };
  if (sums.n === 0) return none;
  switch (kind) {
    case 'share': {
      const share = shareEstimate(Math.round(sums.s), sums.n, level);
      if (!share) return none;
      const se = Math.sqrt((share.share * (1 - share.share)) / sums.n);
      return { n: sums.n, estimate: share.share, se, ci: share.ci, flags };
    }
    case 'nps': {
      const { promoters, detractors } = promotersAndDetractors(sums);
      const nps = npsEstimate(promoters, detractors, sums.n, level);
      return nps ? { n: sums.n, estimate: nps.score, se: nps.se, ci: nps.ci, flags } : none;
    }
    case 'index':
    case 'mean': {
      const mean = meanEstimate(sums.n, sums.s, sums.ss, level);
      if (!mean) return none;
      return { n: sums.n, estimate: mean.mean, se: Number.isNaN(mean.se) ? null : mean.se, ci: mean.ci ?? null, flags };
    }
  }
}

/** The change from a to b (b - a) with the test that fits the indicator's kind; undefined if not testable. */
export function changeOf(
  kind: Indicator['kind'],
  a: IndicatorSums,
  b: IndicatorSums,
  level = 0.95,
): Change | undefined {
  switch (kind) {
    case 'share':
      return proportionChange(Math.round(a.s), a.n, Math.round(b.s), b.n, level);
    case 'nps': {
      const [pa, pb] = [promotersAndDetractors(a), promotersAndDetractors(b)];
      const ea = npsEstimate(pa.promoters, pa.detractors, a.n, level);
      const eb = npsEstimate(pb.promoters, pb.detractors, b.n, level);
      return ea && eb ? npsChange(ea, eb, level) : undefined;
    }
    case 'index':
    case 'mean': {
      const ea = meanEstimate(a.n, a.s, a.ss, level);
      const eb = meanEstimate(b.n, b.s, b.ss, level);
      return ea && eb ? welchChange(ea, eb, level) : undefined;
    }
  }
}

/**
 * A weighted figure: suppressed by the raw count (privacy does not depend on weights), marked
 * unreliable by the effective n (the precision does).
 */
export function weightedFigure(n: number, estimate: WeightedEstimate | undefined, minCellSize: number): Figure {
  if (n > 0 && n < minCellSize) return suppressed(true);
  if (!estimate)
    return {
      n,
      estimate: null,
      se: null,
      ci: null,
      flags: n < UNRELIABLE_BELOW ? ['unreliable'] : [],
      nEff: null,
      deff: null,
    };
  return {
    n,
    estimate: estimate.estimate,
    se: estimate.se,
    ci: estimate.ci ?? null,
    flags: estimate.nEff < UNRELIABLE_BELOW ? ['unreliable'] : [],
    nEff: estimate.nEff,
    deff: estimate.deff,
  };
}

/**
 * The difference of two weighted figures (b - a) as a z test on their linearised standard errors
 * (independent samples; large-sample normal approximation, as usual for weighted estimates).
 */
export function weightedChange(a: Figure, b: Figure, level = 0.95): Change | undefined {
  if (a.estimate === null || b.estimate === null || a.se === null || b.se === null) return undefined;
  const change = zChange({ estimate: a.estimate, se: a.se }, { estimate: b.estimate, se: b.se }, level);
  return change && { ...change, test: 'weighted-z' };
}
