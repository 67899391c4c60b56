import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import type { Change } from './compare.js';
import { tCritical, zCritical } from './estimates.js';

/**
 * One group's figure as a report carries it. Null where the figure is missing (hidden, or not
 * estimable): then nothing can be tested.
 */
export interface GroupFigure {
  estimate: number | null;
  se: number | null;
  n: number | null;
}

/** A change within one survey: its figure before (baseline) and after (a follow-up). */
export interface GroupChange {
  from: GroupFigure;
  to: GroupFigure;
}

/**
 * `t`: Welch-Satterthwaite degrees of freedom over the four groups (means and indices from plain
 * sums). `z`: the normal approximation (shares, NPS, weighted figures, whose standard errors are
 * large-sample ones to begin with).
 */
export type DidMethod = 't' | 'z';

/** The difference in differences (b's change minus a's) with its interval and a two-sided p-value. */
export type Did = Omit<Change, 'test'> & { test: 'did-welch-t' | 'did-z' };

interface Known {
  estimate: number;
  se: number;
  n: number;
}

const known = (g: GroupFigure): g is Known =>
  g.estimate !== null && g.se !== null && g.n !== null && Number.isFinite(g.se) && g.se >= 0 && g.n >= 2;

/**
 * Difference in differences of two independent changes: (b.to - b.from) - (a.to - a.from), the
 * four groups being independent samples, so the variance is the sum of the four squared standard
 * errors. Undefined when a figure or its standard error is missing, a group has fewer than two
 * respondents, or nothing varies (standard error 0).
 */
export function differenceInDifferences(
  a: GroupChange,
  b: GroupChange,
  method: DidMethod,
  level = 0.95,
): Did | undefined {
  if (!known(a.from) || !known(a.to) || !known(b.from) || !known(b.to)) return undefined;
  const groups = [a.from, a.to, b.from, b.to];
  const variances = groups.map((g) => g.se ** 2);
  const variance = variances.reduce((sum, v) => sum + v, 0);
  const se = Math.sqrt(variance);
  if (!(se > 0)) return undefined;
  const delta = b.to.estimate - b.from.estimate - (a.to.estimate - a.from.estimate);
  const statistic = delta / se;
  if (method === 'z') {
    const half = zCritical(level) * se;
    return {
      delta,
      se,
      ci: { lo: delta - half, hi: delta + half },
      statistic,
      p: 2 * (1 - normalCdf(Math.abs(statistic), 0, 1)),
      test: 'did-z',
    };
  }
  const df = variance ** 2 / groups.reduce((sum, g, i) => sum + (variances[i] ?? 0) ** 2 / (g.n - 1), 0);
  const half = tCritical(level, df) * se;
  return {
    delta,
    se,
    ci: { lo: delta - half, hi: delta + half },
    statistic,
    df,
    p: 2 * (1 - tCdf(Math.abs(statistic), df)),
    test: 'did-welch-t',
  };
}
