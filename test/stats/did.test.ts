import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { figureOf } from '../../shared/impact/estimate.js';
import { welchChange } from '../../shared/stats/compare.js';
import { type Did, type DidMethod, differenceInDifferences, type GroupFigure } from '../../shared/stats/did.js';
import { meanEstimate } from '../../shared/stats/estimates.js';
import type { Indicator } from '../../shared/survey/schema.js';

/**
 * The difference in differences against SciPy/numpy, computed from the raw data by
 * `test/fixtures/stats/did.py` (the command is in its header). Ours goes the way the report goes:
 * raw data summed into n, Σx, Σx² (as the aggregate cells hold them), a figure per group, then the
 * test on the four figures.
 */
interface Expected {
  delta: number;
  se: number;
  statistic: number;
  df?: number;
  p: number;
  lo: number;
  hi: number;
}
interface Groups {
  a_from: number[];
  a_to: number[];
  b_from: number[];
  b_to: number[];
}
interface Reference {
  level: number;
  means: (Expected & Groups & { name: string })[];
  shares: (Expected & { counts: { x: number; n: number }[] })[];
  nps: (Expected & Groups & { name: string })[];
}
const ref: Reference = JSON.parse(readFileSync('test/fixtures/stats/did.json', 'utf8'));
const TOL = 1e-6;

/** A figure from raw scores, through the cells' sufficient statistics. */
function figure(kind: Indicator['kind'], scores: number[]): GroupFigure {
  const sums = { n: scores.length, s: scores.reduce((a, x) => a + x, 0), ss: scores.reduce((a, x) => a + x * x, 0) };
  return figureOf(kind, sums, 1, ref.level);
}

function test(kind: Indicator['kind'], groups: number[][], method: DidMethod): Did {
  const [aFrom, aTo, bFrom, bTo] = groups.map((g) => figure(kind, g));
  if (!aFrom || !aTo || !bFrom || !bTo) throw new Error('four groups expected');
  const did = differenceInDifferences({ from: aFrom, to: aTo }, { from: bFrom, to: bTo }, method, ref.level);
  if (!did) throw new Error('not testable');
  return did;
}

function expectClose(did: Did, expected: Expected): void {
  const pairs: [string, number, number][] = [
    ['delta', did.delta, expected.delta],
    ['se', did.se, expected.se],
    ['statistic', did.statistic, expected.statistic],
    ['p', did.p, expected.p],
    ['lo', did.ci.lo, expected.lo],
    ['hi', did.ci.hi, expected.hi],
  ];
  if (expected.df !== undefined) pairs.push(['df', did.df ?? Number.NaN, expected.df]);
  for (const [name, ours, theirs] of pairs) expect(Math.abs(ours - theirs), name).toBeLessThan(TOL);
}

const npsScore = (rating: number) => (rating >= 9 ? 1 : rating <= 6 ? -1 : 0);

describe('difference in differences', () => {
  it.each(ref.means)('t with Welch-Satterthwaite df over four groups matches SciPy: $name', (c) => {
    const did = test('mean', [c.a_from, c.a_to, c.b_from, c.b_to], 't');
    expect(did.test).toBe('did-welch-t');
    expectClose(did, c);
  });

  it.each(ref.shares)('z on shares from counts matches SciPy: case %#', (c) => {
    const groups = c.counts.map(({ x, n }) => [...Array<number>(x).fill(1), ...Array<number>(n - x).fill(0)]);
    const did = test('share', groups, 'z');
    expect(did.test).toBe('did-z');
    expect(did.df).toBeUndefined();
    expectClose(did, c);
  });

  it.each(ref.nps)('z on net promoter scores matches SciPy: $name', (c) => {
    const groups = [c.a_from, c.a_to, c.b_from, c.b_to].map((ratings) => ratings.map(npsScore));
    expectClose(test('nps', groups, 'z'), c);
  });

  it('is Welch’s two-sample test when one survey has no spread', () => {
    const c = ref.means.find((m) => m.name === 'constant-a');
    if (!c) throw new Error('fixture lacks the constant case');
    const [bFrom, bTo] = [c.b_from, c.b_to].map((g) =>
      meanEstimate(
        g.length,
        g.reduce((a, x) => a + x, 0),
        g.reduce((a, x) => a + x * x, 0),
      ),
    );
    const welch = bFrom && bTo ? welchChange(bFrom, bTo) : undefined;
    const did = test('mean', [c.a_from, c.a_to, c.b_from, c.b_to], 't');
    expect(Math.abs((did.df ?? 0) - (welch?.df ?? Number.NaN))).toBeLessThan(1e-9);
    // a moved from 3 to 4: the same standard error, the difference shifted by that one point.
    expect(Math.abs(did.se - (welch?.se ?? Number.NaN))).toBeLessThan(1e-12);
    expect(Math.abs(did.delta - ((welch?.delta ?? Number.NaN) - 1))).toBeLessThan(1e-12);
  });

  it('says which way it counts: b’s change minus a’s', () => {
    const f = (estimate: number): GroupFigure => ({ estimate, se: 1, n: 50 });
    const did = differenceInDifferences({ from: f(10), to: f(12) }, { from: f(20), to: f(27) }, 'z');
    expect(did?.delta).toBe(5);
    expect(did?.se).toBe(2);
    const swapped = differenceInDifferences({ from: f(20), to: f(27) }, { from: f(10), to: f(12) }, 'z');
    expect(swapped?.delta).toBe(-5);
    expect(swapped?.p).toBeCloseTo(did?.p ?? Number.NaN, 12);
  });

  it('tests nothing without a standard error, below two respondents or without any spread', () => {
    const ok: GroupFigure = { estimate: 50, se: 2, n: 40 };
    const change = { from: ok, to: ok };
    const cases: [string, GroupFigure][] = [
      ['hidden', { estimate: null, se: null, n: null }],
      ['no se', { estimate: 50, se: null, n: 1 }],
      ['one respondent', { estimate: 50, se: 0, n: 1 }],
      ['not a number', { estimate: 50, se: Number.NaN, n: 40 }],
    ];
    for (const [name, group] of cases) {
      expect(differenceInDifferences(change, { from: ok, to: group }, 't'), name).toBeUndefined();
      expect(differenceInDifferences({ from: group, to: ok }, change, 'z'), name).toBeUndefined();
    }
    const flat: GroupFigure = { estimate: 1, se: 0, n: 30 };
    expect(differenceInDifferences({ from: flat, to: flat }, { from: flat, to: flat }, 't')).toBeUndefined();
    // One group without spread is fine: the others carry the variance.
    expect(differenceInDifferences({ from: flat, to: ok }, change, 't')?.df).toBeGreaterThan(0);
  });
});
