import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/**
 * Estimates from sufficient statistics (n, Σx, Σx², counts), the form in which the submit
 * transaction keeps every cell: no raw response is needed to compute any figure here.
 */

export interface Interval {
  lo: number;
  hi: number;
}

export interface MeanEstimate {
  n: number;
  mean: number;
  /** Sample variance (n - 1 in the denominator); NaN below two answers. */
  variance: number;
  se: number;
  /** t-based interval with n - 1 degrees of freedom; undefined below two answers. */
  ci: Interval | undefined;
}

export interface ShareEstimate {
  n: number;
  count: number;
  share: number;
  /** Wilson score interval: stays inside [0, 1] and behaves at small n and extreme shares. */
  ci: Interval;
}

export interface NpsEstimate {
  n: number;
  promoters: number;
  detractors: number;
  /** Net promoter score in points, -100 to 100. */
  score: number;
  se: number;
  ci: Interval;
}

/** The two-sided critical value of the normal distribution for a confidence level such as 0.95. */
export function zCritical(level: number): number {
  return normalQuantile(1 - (1 - level) / 2, 0, 1);
}

export function tCritical(level: number, df: number): number {
  return tQuantile(1 - (1 - level) / 2, df);
}

/** Mean with a t-based confidence interval from n, Σx and Σx²; undefined when nobody answered. */
export function meanEstimate(n: number, sum: number, sumSq: number, level = 0.95): MeanEstimate | undefined {
  if (n <= 0) return undefined;
  const mean = sum / n;
  if (n < 2) return { n, mean, variance: Number.NaN, se: Number.NaN, ci: undefined };
  // Σx² - (Σx)²/n is a difference of two large numbers: when all answers are equal it comes out as
  // rounding noise of either sign, which must read as no spread at all.
  const raw = (sumSq - (sum * sum) / n) / (n - 1);
  const variance = raw <= (64 * Number.EPSILON * sumSq) / (n - 1) ? 0 : raw;
  const se = Math.sqrt(variance / n);
  const half = tCritical(level, n - 1) * se;
  return { n, mean, variance, se, ci: { lo: mean - half, hi: mean + half } };
}

/** A share with its Wilson score interval; undefined when nobody answered. */
export function shareEstimate(count: number, n: number, level = 0.95): ShareEstimate | undefined {
  if (n <= 0) return undefined;
  const p = count / n;
  const z = zCritical(level);
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { n, count, share: p, ci: { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) } };
}

/**
 * Net promoter score (promoters 9-10 minus detractors 0-6, in points) with a normal-approximation
 * interval: each answer scores +1, 0 or -1, so Var = (p + d - (p - d)²) / n.
 */
export function npsEstimate(promoters: number, detractors: number, n: number, level = 0.95): NpsEstimate | undefined {
  if (n <= 0) return undefined;
  const p = promoters / n;
  const d = detractors / n;
  const score = 100 * (p - d);
  const se = 100 * Math.sqrt(Math.max(0, p + d - (p - d) ** 2) / n);
  const half = zCritical(level) * se;
  return { n, promoters, detractors, score, se, ci: { lo: score - half, hi: score + half } };
}
