import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adjust, benjaminiHochberg, holm } from '../../shared/stats/adjust.js';
import { npsChange, proportionChange, welchChange } from '../../shared/stats/compare.js';
import { meanEstimate, npsEstimate, shareEstimate } from '../../shared/stats/estimates.js';

/**
 * Every figure against SciPy, computed from the raw data by `test/fixtures/stats/reference.py`
 * (the command is in its header); ours come from sufficient statistics only, as the cells hold them.
 */
interface Reference {
  means: { name: string; data: number[]; mean: number; variance: number; lo: number; hi: number }[];
  shares: { count: number; n: number; share: number; lo: number; hi: number }[];
  nps: { name: string; data: number[]; score: number; se: number; lo: number; hi: number }[];
  welch: {
    name: string;
    a: number[];
    b: number[];
    delta: number;
    t: number;
    df: number;
    p: number;
    lo: number;
    hi: number;
  }[];
  proportions: {
    xa: number;
    na: number;
    xb: number;
    nb: number;
    delta: number;
    z: number;
    p: number;
    lo: number;
    hi: number;
  }[];
  adjust: { p: number[]; holm: number[]; bh: number[] };
}
const ref: Reference = JSON.parse(readFileSync('test/fixtures/stats/reference.json', 'utf8'));
const TOL = 1e-6;

function sums(data: number[]) {
  return { n: data.length, sum: data.reduce((s, x) => s + x, 0), sumSq: data.reduce((s, x) => s + x * x, 0) };
}

function mean(data: number[]) {
  const { n, sum, sumSq } = sums(data);
  const estimate = meanEstimate(n, sum, sumSq);
  if (!estimate) throw new Error('no estimate');
  return estimate;
}

function nps(data: number[]) {
  const estimate = npsEstimate(data.filter((x) => x >= 9).length, data.filter((x) => x <= 6).length, data.length);
  if (!estimate) throw new Error('no estimate');
  return estimate;
}

describe('estimates match SciPy', () => {
  it.each(ref.means)('mean with t interval: $name', (c) => {
    const m = mean(c.data);
    expect(m.mean).toBeCloseTo(c.mean, 9);
    expect(Math.abs(m.variance - c.variance)).toBeLessThan(TOL);
    expect(Math.abs((m.ci?.lo ?? Number.NaN) - c.lo)).toBeLessThan(TOL);
    expect(Math.abs((m.ci?.hi ?? Number.NaN) - c.hi)).toBeLessThan(TOL);
  });

  it.each(ref.shares)('Wilson interval: $count of $n', (c) => {
    const s = shareEstimate(c.count, c.n);
    expect(s?.share).toBeCloseTo(c.share, 12);
    expect(Math.abs((s?.ci.lo ?? Number.NaN) - c.lo)).toBeLessThan(TOL);
    expect(Math.abs((s?.ci.hi ?? Number.NaN) - c.hi)).toBeLessThan(TOL);
  });

  it.each(ref.nps)('net promoter score: $name', (c) => {
    const e = nps(c.data);
    for (const [ours, theirs] of [
      [e.score, c.score],
      [e.se, c.se],
      [e.ci.lo, c.lo],
      [e.ci.hi, c.hi],
    ] as const) {
      expect(Math.abs(ours - theirs)).toBeLessThan(TOL);
    }
  });
});

describe('changes between waves match SciPy', () => {
  it.each(ref.welch)('Welch t: $name', (c) => {
    const change = welchChange(mean(c.a), mean(c.b));
    if (!change) throw new Error('no change');
    for (const [ours, theirs] of [
      [change.delta, c.delta],
      [change.statistic, c.t],
      [change.df ?? Number.NaN, c.df],
      [change.p, c.p],
      [change.ci.lo, c.lo],
      [change.ci.hi, c.hi],
    ] as const) {
      expect(Math.abs(ours - theirs)).toBeLessThan(TOL);
    }
  });

  it.each(ref.proportions)('two proportions: $xa/$na -> $xb/$nb', (c) => {
    const change = proportionChange(c.xa, c.na, c.xb, c.nb);
    if (!change) throw new Error('no change');
    for (const [ours, theirs] of [
      [change.delta, c.delta],
      [change.statistic, c.z],
      [change.p, c.p],
      [change.ci.lo, c.lo],
      [change.ci.hi, c.hi],
    ] as const) {
      expect(Math.abs(ours - theirs)).toBeLessThan(TOL);
    }
  });

  it('NPS change is the difference of scores with the root of summed variances', () => {
    const [a, b] = ref.nps.map((c) => nps(c.data));
    if (!a || !b) throw new Error('fixture lacks two NPS samples');
    const change = npsChange(a, b);
    expect(change?.delta).toBeCloseTo(b.score - a.score, 12);
    expect(change?.se).toBeCloseTo(Math.hypot(a.se, b.se), 12);
    expect(change?.p).toBeGreaterThan(0);
    expect(change?.p).toBeLessThanOrEqual(1);
  });
});

describe('multiple-comparison adjustments', () => {
  it('Holm and Benjamini-Hochberg match the reference, in input order', () => {
    const { p, holm: h, bh } = ref.adjust;
    for (const [i, x] of holm(p).entries()) expect(Math.abs(x - (h[i] ?? Number.NaN))).toBeLessThan(TOL);
    for (const [i, x] of benjaminiHochberg(p).entries()) expect(Math.abs(x - (bh[i] ?? Number.NaN))).toBeLessThan(TOL);
    expect(adjust(p, 'holm')).toEqual(holm(p));
  });

  it('never lowers a p-value and keeps the ranking', () => {
    const p = [0.3, 0.01, 0.02, 0.5];
    for (const adjusted of [holm(p), benjaminiHochberg(p)]) {
      for (const [i, x] of adjusted.entries()) expect(x).toBeGreaterThanOrEqual(p[i] ?? 1);
      expect(adjusted[1]).toBeLessThanOrEqual(adjusted[2] ?? 0);
    }
  });
});

describe('edges', () => {
  it('gives no estimate for empty cells and no interval for a single answer', () => {
    expect(meanEstimate(0, 0, 0)).toBeUndefined();
    expect(shareEstimate(0, 0)).toBeUndefined();
    expect(npsEstimate(0, 0, 0)).toBeUndefined();
    expect(meanEstimate(1, 4, 16)?.ci).toBeUndefined();
  });

  it('keeps a zero-spread variance at 0 despite rounding, and refuses a test with no spread', () => {
    const flat = meanEstimate(3, 0.3, 0.030000000000000006);
    expect(flat?.variance).toBe(0);
    expect(flat && welchChange(flat, flat)).toBeUndefined();
    expect(proportionChange(0, 10, 0, 12)).toBeUndefined();
  });
});
