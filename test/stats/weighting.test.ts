import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { meanEstimate, shareEstimate } from '../../shared/stats/estimates.js';
import {
  kish,
  type Margin,
  type RakingCell,
  rake,
  trimWeights,
  type WeightedCell,
  weightedEstimate,
  weightedMean,
  weightedNps,
  weightedShare,
} from '../../shared/stats/weighting.js';

/**
 * Weights and weighted figures against an independent per-respondent implementation
 * (`test/fixtures/stats/weighting.py`, command in its header); ours work on cells only.
 */
interface Respondent {
  city: string;
  age_band: string;
  gender: string;
  score: number | null;
}
interface Case {
  name: string;
  kind: 'index' | 'mean' | 'share' | 'nps';
  cap: number;
  margins: { id: string; dimensions: string[]; targets: Record<string, number> }[];
  respondents: Respondent[];
  weights: number[];
  estimate: number;
  se: number;
  lo: number;
  hi: number;
  n: number;
  nEff: number;
  deff: number;
}
const ref: { cases: Case[] } = JSON.parse(readFileSync('test/fixtures/stats/weighting.json', 'utf8'));
const TOL = 1e-6;

const keyOf = (r: Respondent) => `${r.city}|${r.age_band}|${r.gender}`;

/** The respondents as aggregate cells: count, and indicator sums kept in hundredths as the counters are. */
function cellsOf(respondents: Respondent[]) {
  const cells = new Map<string, RakingCell & { scored: number; s: number; ss: number }>();
  for (const r of respondents) {
    const key = keyOf(r);
    const cell = cells.get(key) ?? {
      dimensions: { city: r.city, age_band: r.age_band, gender: r.gender },
      n: 0,
      scored: 0,
      s: 0,
      ss: 0,
    };
    cell.n += 1;
    if (r.score !== null) {
      const hundredths = Math.round(r.score * 100);
      cell.scored += 1;
      cell.s += hundredths;
      cell.ss += hundredths * hundredths;
    }
    cells.set(key, cell);
  }
  return [...cells.entries()];
}

function marginsOf(c: Case): Margin[] {
  return c.margins.map((m) => ({
    id: m.id,
    categoryOf: (dims) => m.dimensions.map((d) => dims[d]).join('.'),
    targets: m.targets,
  }));
}

function close(ours: number | undefined, theirs: number): void {
  expect(Math.abs((ours ?? Number.NaN) - theirs)).toBeLessThan(TOL);
}

describe('weighting matches a per-respondent reference', () => {
  it.each(ref.cases)('$name', (c) => {
    // Prepare
    const cells = cellsOf(c.respondents);
    // Act
    const result = rake(
      cells.map(([, cell]) => cell),
      marginsOf(c),
      { cap: c.cap },
    );
    const weightOf = new Map(cells.map(([key], i) => [key, result.weights[i] ?? Number.NaN]));
    const weighted: WeightedCell[] = cells.map(([key, cell]) => ({
      weight: weightOf.get(key) ?? Number.NaN,
      n: cell.scored,
      sum: cell.s / 100,
      sumSq: cell.ss / 10_000,
    }));
    const e = weightedEstimate(c.kind, weighted);
    // Assess
    expect(result.converged).toBe(true);
    for (const [i, r] of c.respondents.entries()) close(weightOf.get(keyOf(r)), c.weights[i] ?? Number.NaN);
    close(e?.estimate, c.estimate);
    close(e?.se, c.se);
    close(e?.ci?.lo, c.lo);
    close(e?.ci?.hi, c.hi);
    close(e?.nEff, c.nEff);
    close(e?.deff, c.deff);
    expect(e?.n).toBe(c.n);
  });
});

const byCity: Margin = {
  id: 'city',
  categoryOf: (d) => d.city,
  targets: { a: 60, b: 40 },
};
const byGender: Margin = {
  id: 'gender',
  categoryOf: (d) => d.gender,
  targets: { female: 51, male: 49 },
};
const cell = (city: string, gender: string, n: number): RakingCell => ({ dimensions: { city, gender }, n });

function weightedShareOf(cells: RakingCell[], weights: number[], margin: Margin, category: string): number {
  let inside = 0;
  let all = 0;
  cells.forEach((c, i) => {
    const k = margin.categoryOf(c.dimensions);
    if (k === undefined || !(k in margin.targets)) return;
    all += c.n * (weights[i] ?? 0);
    if (k === category) inside += c.n * (weights[i] ?? 0);
  });
  return inside / all;
}

describe('rake', () => {
  it('converges to both margins and keeps the mean weight at 1', () => {
    // Prepare
    const cells = [cell('a', 'female', 30), cell('a', 'male', 10), cell('b', 'female', 20), cell('b', 'male', 40)];
    // Act
    const r = rake(cells, [byCity, byGender]);
    // Assess
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeGreaterThan(1);
    expect(r.maxDeviation).toBeLessThanOrEqual(1e-8);
    expect(weightedShareOf(cells, r.weights, byCity, 'a')).toBeCloseTo(0.6, 8);
    expect(weightedShareOf(cells, r.weights, byGender, 'female')).toBeCloseTo(0.51, 8);
    expect(cells.reduce((s, c, i) => s + c.n * (r.weights[i] ?? 0), 0)).toBeCloseTo(100, 9);
  });

  it('reports no convergence when the iterations run out', () => {
    const cells = [cell('a', 'female', 30), cell('a', 'male', 10), cell('b', 'female', 20), cell('b', 'male', 40)];
    const r = rake(cells, [byCity, byGender], { maxIterations: 1, tolerance: 1e-12 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(1);
    expect(r.maxDeviation).toBeGreaterThan(1e-12);
  });

  it('leaves respondents without a category at the average adjustment', () => {
    // Prepare: "elsewhere" and "_" have no population target.
    const cells = [
      cell('a', 'female', 20),
      cell('b', 'female', 60),
      cell('elsewhere', 'female', 10),
      cell('_', 'female', 10),
    ];
    // Act
    const r = rake(cells, [byCity], { cap: Number.POSITIVE_INFINITY });
    // Assess: the categorised keep their weighted total (80), so the others keep weight 1.
    expect(r.weights[2]).toBeCloseTo(1, 12);
    expect(r.weights[3]).toBeCloseTo(1, 12);
    expect(r.weights[0]).toBeCloseTo((0.6 * 80) / 20, 12);
    expect(r.weights[1]).toBeCloseTo((0.4 * 80) / 60, 12);
    expect(r.margins[0]).toEqual({ id: 'city', emptyCategories: [], uncategorised: 20 });
  });

  it('drops a target category nobody falls into, renormalises the rest and says so', () => {
    const margin: Margin = { id: 'city', categoryOf: (d) => d.city, targets: { a: 50, b: 30, c: 20 } };
    const cells = [cell('a', 'female', 10), cell('b', 'female', 30)];
    const r = rake(cells, [margin]);
    expect(r.converged).toBe(true);
    expect(r.margins[0]?.emptyCategories).toEqual(['c']);
    expect(weightedShareOf(cells, r.weights, margin, 'a')).toBeCloseTo(50 / 80, 10);
  });

  it('leaves weights at 1 when a margin has no categorised respondent at all', () => {
    const r = rake([cell('_', 'female', 5), cell('_', 'male', 5)], [byCity]);
    expect(r.weights).toEqual([1, 1]);
    expect(r.converged).toBe(true);
    expect(r.margins[0]?.emptyCategories).toEqual(['a', 'b']);
  });

  it('caps weights at cap x the mean and counts the capped cells', () => {
    // Prepare: city b is a tenth of the sample but 40% of the population.
    const cells = [cell('a', 'female', 90), cell('b', 'female', 10)];
    // Act
    const uncapped = rake(cells, [byCity], { cap: Number.POSITIVE_INFINITY });
    const capped = rake(cells, [byCity], { cap: 2 });
    // Assess
    expect(uncapped.weights[1]).toBeCloseTo(4, 12);
    expect(capped.weights[1]).toBeCloseTo(2, 12);
    expect(capped.weights[0]).toBeCloseTo((100 - 20) / 90, 12);
    expect(capped.cappedCells).toBe(1);
    expect(uncapped.cappedCells).toBe(0);
  });
});

describe('trimWeights', () => {
  it('reaches the fixed point of "cap, renormalise" in which no weight exceeds the cap', () => {
    const cells = [10, 10, 10, 70].map((n) => ({ dimensions: {}, n }));
    const w = trimWeights(cells, [9, 6, 1, 0.5], 3);
    const mean = cells.reduce((s, c, i) => s + c.n * (w[i] ?? 0), 0) / 100;
    expect(mean).toBeCloseTo(1, 12);
    expect(Math.max(...w)).toBeLessThanOrEqual(3 + 1e-12);
    expect(w[0]).toBeCloseTo(3, 12);
    expect(w[1]).toBeCloseTo(3, 12);
  });

  it('rejects a cap below 1', () => {
    expect(() => trimWeights([{ dimensions: {}, n: 1 }], [1], 0.5)).toThrow(RangeError);
  });
});

describe('weighted estimates', () => {
  const scores = [
    { n: 12, sum: 12 * 61.5, sumSq: 12 * 61.5 ** 2 + 800 },
    { n: 25, sum: 25 * 70.25, sumSq: 25 * 70.25 ** 2 + 3100 },
    { n: 7, sum: 7 * 48, sumSq: 7 * 48 ** 2 + 450 },
  ];

  it('equals the unweighted mean, se and t interval when every weight is 1', () => {
    const cells = scores.map((c) => ({ ...c, weight: 1 }));
    const n = 44;
    const sum = scores.reduce((s, c) => s + c.sum, 0);
    const sumSq = scores.reduce((s, c) => s + c.sumSq, 0);
    const w = weightedMean(cells);
    const u = meanEstimate(n, sum, sumSq);
    expect(w?.estimate).toBeCloseTo(u?.mean ?? Number.NaN, 10);
    expect(w?.se).toBeCloseTo(u?.se ?? Number.NaN, 10);
    expect(w?.ci?.lo).toBeCloseTo(u?.ci?.lo ?? Number.NaN, 10);
    expect(w?.ci?.hi).toBeCloseTo(u?.ci?.hi ?? Number.NaN, 10);
    expect(w?.deff).toBeCloseTo(1, 12);
    expect(w?.nEff).toBeCloseTo(n, 10);
  });

  it('equals the unweighted share and Wilson interval when every weight is 1', () => {
    const cells = [
      { weight: 1, n: 30, sum: 12, sumSq: 12 },
      { weight: 1, n: 20, sum: 5, sumSq: 5 },
    ];
    const w = weightedShare(cells);
    const u = shareEstimate(17, 50);
    expect(w?.estimate).toBeCloseTo(17 / 50, 12);
    expect(w?.ci?.lo).toBeCloseTo(u?.ci.lo ?? Number.NaN, 10);
    expect(w?.ci?.hi).toBeCloseTo(u?.ci.hi ?? Number.NaN, 10);
  });

  it('gives the same figures for any scaling of the weights', () => {
    const a = weightedMean(scores.map((c, i) => ({ ...c, weight: [0.5, 1.5, 2][i] ?? 1 })));
    const b = weightedMean(scores.map((c, i) => ({ ...c, weight: 10 * ([0.5, 1.5, 2][i] ?? 1) })));
    expect(b?.estimate).toBeCloseTo(a?.estimate ?? Number.NaN, 10);
    expect(b?.se).toBeCloseTo(a?.se ?? Number.NaN, 10);
    expect(b?.deff).toBeCloseTo(a?.deff ?? Number.NaN, 10);
  });

  it('reports NPS in points from +1/0/-1 scores', () => {
    const cells = [
      { weight: 2, n: 10, sum: 4, sumSq: 6 },
      { weight: 1, n: 10, sum: -2, sumSq: 4 },
    ];
    const e = weightedNps(cells);
    expect(e?.estimate).toBeCloseTo((100 * (2 * 4 - 2)) / 30, 10);
    expect(e?.ci?.lo).toBeLessThan(e?.estimate ?? Number.NaN);
  });

  it('computes Kish from the weights of the respondents with a score', () => {
    const k = kish([
      { weight: 2, n: 10, sum: 0, sumSq: 0 },
      { weight: 1, n: 30, sum: 0, sumSq: 0 },
      { weight: 5, n: 0, sum: 0, sumSq: 0 },
    ]);
    expect(k.n).toBe(40);
    expect(k.nEff).toBeCloseTo(50 ** 2 / 70, 12);
    expect(k.deff).toBeCloseTo((40 * 70) / 50 ** 2, 12);
  });

  it('gives nothing without respondents and no interval for one respondent', () => {
    expect(weightedMean([])).toBeUndefined();
    expect(weightedMean([{ weight: 1, n: 0, sum: 0, sumSq: 0 }])).toBeUndefined();
    expect(weightedMean([{ weight: 2, n: 1, sum: 3, sumSq: 9 }])?.ci).toBeUndefined();
  });

  it('keeps a zero spread at 0 despite rounding', () => {
    const e = weightedMean([
      { weight: 1.3, n: 3, sum: 0.3, sumSq: 0.030000000000000006 },
      { weight: 0.7, n: 2, sum: 0.2, sumSq: 0.02 },
    ]);
    expect(e?.se).toBe(0);
  });
});
