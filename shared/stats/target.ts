import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';

/**
 * One-sided tests of an indicator against a target the survey file declares ("the mean grade of
 * the administration reaches 2.7 or better"). Both one-sided p-values are returned, because a
 * report says two different things: the target is reached (p small) or it is missed (pShort small);
 * neither small means the sample cannot tell.
 */
export type TargetDirection = 'at_least' | 'at_most';

export interface TargetTest {
  /** (estimate - target) / se; for shares se is taken under H0, sqrt(T(1-T)/n). */
  statistic: number;
  /** Degrees of freedom; t tests only. */
  df?: number;
  /** One-sided p of H0 "the target is not reached" (small: evidence it is reached). */
  p: number;
  /** One-sided p of H0 "the target is reached" (small: evidence it is missed). */
  pShort: number;
  test: 'one-sample-t' | 'one-proportion-z' | 'z';
}

/**
 * Both tails from the upper-tail function of a symmetric distribution. The lower tail of x is the
 * upper tail of -x: taking it that way instead of 1 - cdf keeps tiny p-values exact.
 */
function tails(
  statistic: number,
  upper: (x: number) => number,
  direction: TargetDirection,
): Pick<TargetTest, 'p' | 'pShort'> {
  const above = upper(statistic); // P(S >= s): small when the estimate lies clearly above the target
  const below = upper(-statistic);
  return direction === 'at_least' ? { p: above, pShort: below } : { p: below, pShort: above };
}

const finite = (...xs: number[]) => xs.every(Number.isFinite);

/**
 * One-sample t test of a mean (or an index) against the target, n - 1 degrees of freedom, from the
 * estimate's own standard error. Undefined below two answers or without spread: with every answer
 * equal no test can say anything about the population mean.
 */
export function meanTargetTest(
  est: { n: number; mean: number; se: number },
  target: number,
  direction: TargetDirection,
): TargetTest | undefined {
  if (!finite(est.n, est.mean, est.se, target) || est.n < 2 || !(est.se > 0)) return undefined;
  const df = est.n - 1;
  const statistic = (est.mean - target) / est.se;
  return { statistic, df, ...tails(statistic, (x) => tCdf(-x, df), direction), test: 'one-sample-t' };
}

/**
 * Score z test of a share against the target T, with the standard error under H0, sqrt(T(1-T)/n).
 * That is the test the Wilson interval inverts, so the report's interval and this test never
 * disagree: the Wilson interval excludes T exactly when the two-sided score test rejects. A target
 * of 0 or 1 has no spread under H0 and no meaning as a one-sided target, so it gets no test.
 */
export function shareTargetTest(
  count: number,
  n: number,
  target: number,
  direction: TargetDirection,
): TargetTest | undefined {
  if (!finite(count, n, target) || n < 1 || count < 0 || count > n) return undefined;
  if (!(target > 0 && target < 1)) return undefined;
  const statistic = (count / n - target) / Math.sqrt((target * (1 - target)) / n);
  return { statistic, ...tails(statistic, (x) => normalCdf(-x, 0, 1), direction), test: 'one-proportion-z' };
}

/**
 * Large-sample z test of any estimate with a standard error (net promoter score, weighted figures
 * whose se already carries the design effect). Undefined without spread.
 */
export function zTargetTest(
  estimate: number,
  se: number,
  target: number,
  direction: TargetDirection,
): TargetTest | undefined {
  if (!finite(estimate, se, target) || !(se > 0)) return undefined;
  const statistic = (estimate - target) / se;
  return { statistic, ...tails(statistic, (x) => normalCdf(-x, 0, 1), direction), test: 'z' };
}
