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

/** Cells with their key parsed once, so filters can look at audience and dimensions. */
export function viewCells(cells: Map<string, Counters>): CellView[] {
  return [...cells].map(([key, counters]) => ({ key, ...parseCellKey(key), counters }));
}
