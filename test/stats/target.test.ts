import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { meanEstimate, shareEstimate } from '../../shared/stats/estimates.js';
import {
  meanTargetTest,
  shareTargetTest,
  type TargetDirection,
  type TargetTest,
  zTargetTest,
} from '../../shared/stats/target.js';

/**
 * The one-sided target tests against SciPy, computed from the raw data by
 * `test/fixtures/stats/target.py` (the command is in its header); ours come from sufficient
 * statistics, as the cells hold them.
 */
interface Expected {
  name: string;
  target: number;
  direction: TargetDirection;
  statistic: number;
  p: number;
  pShort: number;
}
interface Reference {
  means: (Expected & { data: number[]; df: number })[];
  shares: (Expected & { count: number; n: number })[];
  z: (Expected & { estimate: number; se: number })[];
}
const ref: Reference = JSON.parse(readFileSync('test/fixtures/stats/target.json', 'utf8'));
const TOL = 1e-6;
const LEVEL = 0.95;
const ALPHA = (1 - LEVEL) / 2;

function meanOf(data: number[]) {
  const sum = data.reduce((s, x) => s + x, 0);
  const sumSq = data.reduce((s, x) => s + x * x, 0);
  const estimate = meanEstimate(data.length, sum, sumSq, LEVEL);
  if (!estimate) throw new Error('no estimate');
  return estimate;
}

function expectMatches(test: TargetTest | undefined, c: Expected) {
  if (!test) throw new Error(`no test for ${c.name}`);
  expect(Math.abs(test.statistic - c.statistic)).toBeLessThan(TOL);
  expect(Math.abs(test.p - c.p)).toBeLessThan(TOL);
  expect(Math.abs(test.pShort - c.pShort)).toBeLessThan(TOL);
}

describe('target tests match SciPy', () => {
  it.each(ref.means)('one-sample t: $name ($direction $target)', (c) => {
    // Prepare
    const estimate = meanOf(c.data);
    // Act
    const test = meanTargetTest(estimate, c.target, c.direction);
    // Assess
    expectMatches(test, c);
    expect(test?.df).toBe(c.df);
    expect(test?.test).toBe('one-sample-t');
  });

  it.each(ref.shares)('score z: $name, $count of $n ($direction $target)', (c) => {
    const test = shareTargetTest(c.count, c.n, c.target, c.direction);
    expectMatches(test, c);
    expect(test?.df).toBeUndefined();
    expect(test?.test).toBe('one-proportion-z');
  });

  it.each(ref.z)('z: $name ($direction $target)', (c) => {
    const test = zTargetTest(c.estimate, c.se, c.target, c.direction);
    expectMatches(test, c);
    expect(test?.test).toBe('z');
  });

  it('covers both directions, a target at the estimate and targets near 0 and 1', () => {
    const all = [...ref.means, ...ref.shares, ...ref.z];
    expect(new Set(all.map((c) => c.direction))).toEqual(new Set(['at_least', 'at_most']));
    expect(all.filter((c) => c.statistic === 0).length).toBeGreaterThanOrEqual(2);
    expect(ref.shares.some((c) => c.target < 0.05) && ref.shares.some((c) => c.target > 0.95)).toBe(true);
  });
});

describe('meaning of p and pShort', () => {
  it('reads the same sample the other way round when the direction flips', () => {
    const estimate = meanOf([3, 2, 2, 4, 3, 1, 2]);
    const most = meanTargetTest(estimate, 2.7, 'at_most');
    const least = meanTargetTest(estimate, 2.7, 'at_least');
    expect(most?.p).toBe(least?.pShort);
    expect(most?.pShort).toBe(least?.p);
    expect((most?.p ?? 0) + (most?.pShort ?? 0)).toBeCloseTo(1, 12);
  });

  it('keeps a tiny p exact instead of rounding 1 - cdf to 0', () => {
    const test = zTargetTest(10, 1, 0, 'at_least');
    // SciPy: stats.norm.sf(10)
    expect(Math.abs((test?.p ?? 0) / 7.61985302416047e-24 - 1)).toBeLessThan(1e-9);
  });
});

describe('target decision agrees with the interval the report shows', () => {
  const direction = fc.constantFrom<TargetDirection>('at_least', 'at_most');

  it('t: p < (1-level)/2 exactly when the t interval lies wholly on the favourable side', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 80 }),
        // the target as a position in standard errors around the mean, so that it falls inside,
        // outside and close to both ends of the interval
        fc.double({ min: -4, max: 4, noNaN: true }),
        direction,
        (grades, position, dir) => {
          const estimate = meanOf(grades);
          fc.pre(estimate.se > 0 && estimate.ci !== undefined);
          const target = estimate.mean + position * estimate.se;
          const ci = estimate.ci;
          if (!ci) return;
          // a target on the interval's end is a tie that rounding may settle either way
          fc.pre(Math.min(Math.abs(target - ci.lo), Math.abs(target - ci.hi)) > 1e-9 * (1 + Math.abs(target)));
          const test = meanTargetTest(estimate, target, dir);
          if (!test) throw new Error('no test');
          const favourable = dir === 'at_least' ? ci.lo > target : ci.hi < target;
          const unfavourable = dir === 'at_least' ? ci.hi < target : ci.lo > target;
          expect(test.p < ALPHA).toBe(favourable);
          expect(test.pShort < ALPHA).toBe(unfavourable);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('score z: p < (1-level)/2 exactly when the Wilson interval lies wholly on the favourable side', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }))),
        // the target as a position across the interval (0 = its lower end, 1 = its upper end)
        fc.double({ min: -1, max: 2, noNaN: true }),
        direction,
        ([n, count], position, dir) => {
          const estimate = shareEstimate(count, n, LEVEL);
          if (!estimate) throw new Error('no estimate');
          const { lo, hi } = estimate.ci;
          const target = lo + position * (hi - lo);
          fc.pre(target > 1e-6 && target < 1 - 1e-6);
          fc.pre(Math.min(Math.abs(target - lo), Math.abs(target - hi)) > 1e-9);
          const test = shareTargetTest(count, n, target, dir);
          if (!test) throw new Error('no test');
          const favourable = dir === 'at_least' ? lo > target : hi < target;
          const unfavourable = dir === 'at_least' ? hi < target : lo > target;
          expect(test.p < ALPHA).toBe(favourable);
          expect(test.pShort < ALPHA).toBe(unfavourable);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('edges', () => {
  it('gives no t test below two answers, without spread, or for input that is not a number', () => {
    expect(meanTargetTest({ n: 1, mean: 3, se: Number.NaN }, 2.7, 'at_most')).toBeUndefined();
    expect(meanTargetTest({ n: 5, mean: 3, se: 0 }, 2.7, 'at_most')).toBeUndefined();
    expect(meanTargetTest({ n: 5, mean: Number.NaN, se: 0.2 }, 2.7, 'at_most')).toBeUndefined();
    expect(meanTargetTest({ n: 5, mean: 3, se: 0.2 }, Number.POSITIVE_INFINITY, 'at_most')).toBeUndefined();
  });

  it('gives no share test for a target of 0 or 1, outside (0, 1), nobody answering, or an impossible count', () => {
    for (const target of [0, 1, -0.1, 1.2, Number.NaN])
      expect(shareTargetTest(5, 10, target, 'at_least')).toBeUndefined();
    expect(shareTargetTest(0, 0, 0.5, 'at_least')).toBeUndefined();
    expect(shareTargetTest(11, 10, 0.5, 'at_least')).toBeUndefined();
    expect(shareTargetTest(-1, 10, 0.5, 'at_least')).toBeUndefined();
  });

  it('tests a single answer as a share, as the Wilson interval is shown for it', () => {
    expect(shareTargetTest(1, 1, 0.5, 'at_least')?.statistic).toBeCloseTo(1, 12);
  });

  it('gives no z test without a standard error', () => {
    expect(zTargetTest(12, 0, 10, 'at_least')).toBeUndefined();
    expect(zTargetTest(12, Number.NaN, 10, 'at_least')).toBeUndefined();
  });
});
