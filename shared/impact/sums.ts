import { type Counters, parseCellKey } from '../aggregate/contribution.js';
import type { Dimensions } from '../response/schema.js';

/** The sufficient statistics of one indicator over a set of cells, in the indicator's own units. */
export interface IndicatorSums {
  /** Respondents with a score. */
  n: number;
  /** Σ of scores. */
  s: number;
  /** Σ of squared scores. */
  ss: number;
}

export interface CellView {
  key: string;
  audience: string;
  dimensions: Dimensions;
  counters: Counters;
}

export type CellFilter = (cell: CellView) => boolean;

export const EMPTY_SUMS: IndicatorSums = { n: 0, s: 0, ss: 0 };

/** Cells with their key parsed once, so filters can look at audience and dimensions. */
export function viewCells(cells: Map<string, Counters>): CellView[] {
  return [...cells].map(([key, counters]) => ({ key, ...parseCellKey(key), counters }));
}

/**
 * One indicator's sums over the cells a filter keeps. Cells store scores in hundredths (integers,
 * see `contributionOf`); here they come back to the indicator's units.
 */
export function indicatorSums(cells: CellView[], indicatorId: string, keep: CellFilter): IndicatorSums {
  let n = 0;
  let s = 0;
  let ss = 0;
  for (const cell of cells) {
    if (!keep(cell)) continue;
    n += cell.counters[`@ind#${indicatorId}#n`] ?? 0;
    s += cell.counters[`@ind#${indicatorId}#s`] ?? 0;
    ss += cell.counters[`@ind#${indicatorId}#ss`] ?? 0;
  }
  return { n, s: s / 100, ss: ss / 10_000 };
}

/** Respondents in the cells a filter keeps (whether or not they have a score on anything). */
export function respondentsIn(cells: CellView[], keep: CellFilter): number {
  return cells.reduce((total, cell) => total + (keep(cell) ? (cell.counters.n ?? 0) : 0), 0);
}
