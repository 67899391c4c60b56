import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import { type Interval, type MeanEstimate, type NpsEstimate, tCritical, zCritical } from './estimates.js';

/** The change from wave a to wave b (b - a) with its interval and a two-sided p-value. */
export interface Change {
  delta: number;
  se: number;
  ci: Interval;
  /** The test statistic: Welch t or z. */
  statistic: number;
  /** Degrees of freedom of a Welch test; undefined for z tests. */
  df?: number;
  p: number;
  test: 'welch-t' | 'two-proportion-z' | 'z' | 'weighted-z';
}

const twoSidedNormal = (z: number) => 2 * (1 - normalCdf(Math.abs(z), 0, 1));

/**
 * Welch's t test from sufficient statistics (unequal variances, Welch-Satterthwaite degrees of
 * freedom). Undefined when either side has fewer than two answers or both have no spread.
 */
export function welchChange(a: MeanEstimate, b: MeanEstimate, level = 0.95): Change | undefined {
  if (a.n < 2 || b.n < 2) return undefined;
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se = Math.sqrt(va + vb);
  if (!(se > 0)) return undefined;
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const delta = b.mean - a.mean;
  const t = delta / se;
  const half = tCritical(level, df) * se;
  return {
    delta,
    se,
    ci: { lo: delta - half, hi: delta + half },
    statistic: t,
    df,
    p: 2 * (1 - tCdf(Math.abs(t), df)),
    test: 'welch-t',
  };
}

/**
 * Two-proportion z test: the pooled share under "no change" for the test, the unpooled standard
 * error for the interval of the difference (b - a, as a proportion).
 */
export function proportionChange(xa: number, na: number, xb: number, nb: number, level = 0.95): Change | undefined {
  if (na <= 0 || nb <= 0) return undefined;
  const pa = xa / na;
  const pb = xb / nb;
  const pooled = (xa + xb) / (na + nb);
  const seTest = Math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb));
  const se = Math.sqrt((pa * (1 - pa)) / na + (pb * (1 - pb)) / nb);
  if (!(seTest > 0)) return undefined;
  const delta = pb - pa;
  const z = delta / seTest;
  const half = zCritical(level) * se;
  return {
    delta,
    se,
    ci: { lo: delta - half, hi: delta + half },
    statistic: z,
    p: twoSidedNormal(z),
    test: 'two-proportion-z',
  };
}

/**
 * The difference b - a of two independent estimates with their standard errors, as a z test (large
 * samples: NPS, weighted figures). Undefined when neither has spread.
 */
export function zChange(
  a: { estimate: number; se: number },
  b: { estimate: number; se: number },
  level = 0.95,
): Change | undefined {
  const se = Math.hypot(a.se, b.se);
  if (!(se > 0)) return undefined;
  const delta = b.estimate - a.estimate;
  const z = delta / se;
  const half = zCritical(level) * se;
  return { delta, se, ci: { lo: delta - half, hi: delta + half }, statistic: z, p: twoSidedNormal(z), test: 'z' };
}

/** Change of a net promoter score between independent samples (z, points). */
export function npsChange(a: NpsEstimate, b: NpsEstimate, level = 0.95): Change | undefined {
  return zChange({ estimate: a.score, se: a.se }, { estimate: b.score, se: b.se }, level);
}
