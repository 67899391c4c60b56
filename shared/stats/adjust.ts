/**
 * Multiple-comparison corrections over the p-values of the cells shown together. Both return
 * adjusted p-values in the input order (compare them with the unadjusted level, e.g. 0.05).
 */
export type Adjustment = 'holm' | 'benjamini-hochberg';

/** Holm's step-down method: controls the family-wise error rate, uniformly better than Bonferroni. */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/** Benjamini-Hochberg step-up method: controls the false discovery rate. */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const [p, i] = order[rank] as readonly [number, number];
    running = Math.min(running, (m / (rank + 1)) * p);
    adjusted[i] = running;
  }
  return adjusted;
}

export function adjust(pValues: readonly number[], method: Adjustment): number[] {
  return method === 'holm' ? holm(pValues) : benjaminiHochberg(pValues);
}
