import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodsOf, protectLine } from '../../shared/disclosure/line.js';
import { decideTable } from '../../shared/disclosure/wave-gate.js';

const cells = (...ns: number[]) => ns.map((n, i) => ({ key: `c${i}`, n }));

describe('protectLine', () => {
  it('hides a small cell and, beside a shown total, the smallest others until two or more hold at least k', () => {
    expect([...protectLine(cells(40, 4, 12, 0, 90), 10, { totalShown: true })].sort()).toEqual(['c1', 'c2']);
    // 4 + 5 = 9 is still a group below k: one more.
    expect([...protectLine(cells(40, 4, 5, 12, 90), 10, { totalShown: true })].sort()).toEqual(['c1', 'c2', 'c3']);
    // Without a total beside them, the small cell alone is hidden.
    expect([...protectLine(cells(40, 4, 12), 10, { totalShown: false })]).toEqual(['c1']);
    // Nothing small, nothing hidden; zeros are shown and never a complement.
    expect(protectLine(cells(40, 0, 12), 10, { totalShown: true }).size).toBe(0);
    expect([...protectLine(cells(0, 3, 0), 10, { totalShown: true })]).toEqual(['c1']);
  });

  it('never lets the total minus the shown cells be a group of 1 to k-1 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 40 }), { maxLength: 14 }), fc.integer({ min: 2, max: 12 }), (ns, k) => {
        const line = cells(...ns);
        const total = ns.reduce((a, b) => a + b, 0);
        if (total > 0 && total < k) return; // the total itself is hidden then
        const hidden = protectLine(line, k, { totalShown: true });
        const rest = line.filter((c) => hidden.has(c.key)).reduce((a, c) => a + c.n, 0);
        expect(rest === 0 || rest >= k).toBe(true);
        // Each hidden cell (known to hold someone) could be 1 to at least k-1.
        if (rest > 0 && hidden.size < line.filter((c) => c.n > 0).length)
          expect(rest - (hidden.size - 1)).toBeGreaterThanOrEqual(k - 1);
        expect(hidden.size).not.toBe(1);
        for (const c of line) if (c.n > 0 && c.n < k) expect(hidden.has(c.key)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('periodsOf', () => {
  it('merges days into runs of at least k, the remainder into the last run, and keeps empty days apart', () => {
    expect(
      periodsOf({ '2026-11-01': 12, '2026-11-02': 3, '2026-11-03': 0, '2026-11-04': 8, '2026-11-05': 2 }, 10),
    ).toEqual([
      { from: '2026-11-01', to: '2026-11-01', n: 12 },
      { from: '2026-11-02', to: '2026-11-05', n: 13 },
    ]);
    expect(periodsOf({ '2026-11-01': 0, '2026-11-02': 10 }, 10)).toEqual([
      { from: '2026-11-01', to: '2026-11-01', n: 0 },
      { from: '2026-11-02', to: '2026-11-02', n: 10 },
    ]);
    expect(periodsOf({ '2026-11-01': 4, '2026-11-02': 3 }, 10)).toEqual([]);
  });

  it('gives periods of 0 or at least k that add up to every response (property)', () => {
    const day = (i: number) => new Date(Date.UTC(2026, 10, 1 + i)).toISOString().slice(0, 10);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 15 }), { maxLength: 40 }), fc.integer({ min: 2, max: 12 }), (ns, k) => {
        const days = Object.fromEntries(ns.map((n, i) => [day(i), n]));
        const periods = periodsOf(days, k);
        const total = ns.reduce((a, b) => a + b, 0);
        if (total < k) {
          expect(periods).toEqual([]);
          return;
        }
        for (const p of periods) expect(p.n === 0 || p.n >= k).toBe(true);
        expect(periods.reduce((a, p) => a + p.n, 0)).toBe(total);
        for (let i = 1; i < periods.length; i++)
          expect((periods[i]?.from ?? '') > (periods[i - 1]?.to ?? '')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('decideTable', () => {
  const table = (rows: Record<string, [number, number]>) => new Map(Object.entries(rows));

  it('hides the exposure split of a city with a small side together with another city, and both sides overall when one is small', () => {
    const d = decideTable(table({ a: [20, 3], b: [30, 40], c: [12, 15] }), 10, { split: true });
    expect(d.cities.size).toBe(0);
    expect(d.exposure).toBe(false);
    // a's "other" side holds 3: a's split and one more city's (the smallest) are hidden.
    expect([...d.splits].sort()).toEqual(['a', 'c']);
    const few = decideTable(table({ a: [2, 30], b: [3, 40] }), 10, { split: true });
    expect(few.exposure).toBe(true);
    expect([...few.splits].sort()).toEqual(['a', 'b']);
  });

  it('hides the splits of hidden cities, and shows none for a measure without a split', () => {
    const d = decideTable(table({ a: [2, 2], b: [30, 40], c: [12, 15] }), 10, { split: true });
    expect([...d.cities].sort()).toEqual(['a', 'c']);
    expect([...d.splits].sort()).toEqual(['a', 'c']);
    const plain = decideTable(table({ a: [0, 4], b: [0, 40] }), 10, { split: false });
    expect(plain.exposure).toBe(true);
    expect([...plain.cities].sort()).toEqual(['a', 'b']);
  });

  it('with weights, hides more cities until no hidden one weighs more than the others hidden with it', () => {
    // a is small and weighs 0.4 of the population; c, its complement by count, only 0.05.
    const counts = table({ a: [2, 2], b: [30, 40], c: [12, 15], d: [20, 30] });
    const weights = table({ a: [0.2, 0.2], b: [0.1, 0.2], c: [0.02, 0.03], d: [0.15, 0.1] });
    expect([...decideTable(counts, 10, { split: false }).cities].sort()).toEqual(['a', 'c']);
    const weighed = decideTable(counts, 10, { split: false, weights });
    // c (0.05) and then d (0.25, the next by count) join: 0.4 <= 0.05 + 0.25 is still short, so b too.
    expect([...weighed.cities].sort()).toEqual(['a', 'b', 'c', 'd']);
    const lighter = table({ a: [0.1, 0.1], b: [0.1, 0.2], c: [0.02, 0.03], d: [0.15, 0.1] });
    expect([...decideTable(counts, 10, { split: false, weights: lighter }).cities].sort()).toEqual(['a', 'c', 'd']);
  });

  it('with weights, hides exposure splits until neither side of any hidden split outweighs the others', () => {
    const counts = table({ a: [20, 3], b: [30, 40], c: [12, 15], d: [25, 25] });
    // By count, a's split is hidden with c's; a's "aware" side weighs 0.3 against c's 0.02.
    expect([...decideTable(counts, 10, { split: true }).splits].sort()).toEqual(['a', 'c']);
    const weights = table({ a: [0.3, 0.05], b: [0.1, 0.2], c: [0.02, 0.03], d: [0.3, 0.05] });
    const weighed = decideTable(counts, 10, { split: true, weights });
    expect(weighed.exposure).toBe(false);
    expect([...weighed.splits].sort()).toEqual(['a', 'c', 'd']);
  });
});
