import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSmall, protectLine } from '../../shared/disclosure/line.js';
import { acrossWaves, hiddenTogether, withCumulative } from '../../shared/fieldwork/margins.js';

describe('hiddenTogether', () => {
  it('gives the hidden groups and the total less the shown ones', () => {
    const rows = [
      { key: 'alpha', responses: 15 },
      { key: 'beta', responses: null },
      { key: 'gamma', responses: 0 },
      { key: 'delta', responses: null },
    ];
    expect(hiddenTogether(40, rows)).toEqual({ groups: ['beta', 'delta'], responses: 25 });
  });

  it('adds no count where the total is hidden, and no row where nothing is hidden', () => {
    expect(hiddenTogether(null, [{ key: 'alpha', responses: null }])).toEqual({ groups: ['alpha'], responses: null });
    expect(hiddenTogether(12, [{ key: 'alpha', responses: 12 }])).toBeUndefined();
  });

  it('is never about 1 to k-1 respondents where the line is protected by the gate (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 40 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 2, max: 15 }),
        (ns, k) => {
          // Prepare: a line as the gate protects it
          const cells = ns.map((n, i) => ({ key: `c${i}`, n }));
          const total = ns.reduce((a, b) => a + b, 0);
          const totalShown = !isSmall(total, k);
          const hidden = protectLine(cells, k, { totalShown });
          // Act
          const together = hiddenTogether(
            totalShown ? total : null,
            cells.map((c) => ({ key: c.key, responses: hidden.has(c.key) ? null : c.n })),
          );
          // Assess
          if (together?.responses == null) return;
          expect(isSmall(together.responses, k)).toBe(false);
          expect(together.responses).toBe(cells.filter((c) => hidden.has(c.key)).reduce((a, c) => a + c.n, 0));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('acrossWaves', () => {
  const wave = (responses: number | null, audiences: [string, number | null][]) => ({
    responses,
    audiences: audiences.map(([audience, n]) => ({ audience, responses: n })),
  });

  it('adds up the shown counts per audience, an audience missing from a wave counting 0', () => {
    const across = acrossWaves([
      wave(60, [
        ['public', 40],
        ['business', 20],
      ]),
      wave(35, [['public', 35]]),
    ]);
    expect(across).toEqual({
      responses: 95,
      audiences: [
        { audience: 'business', responses: 20 },
        { audience: 'public', responses: 75 },
      ],
      otherAudiences: undefined,
    });
  });

  it("hides an audience's sum where one wave hides its count, and gives the rest only as total less the shown sums", () => {
    // Prepare: business (4) and multiplier (11) are hidden in w1; a sum for business would be 20 + 4.
    const across = acrossWaves([
      wave(80, [
        ['public', 40],
        ['business', 20],
        ['multiplier', 20],
      ]),
      wave(55, [
        ['public', 40],
        ['business', null],
        ['multiplier', null],
      ]),
    ]);
    expect(across.audiences).toEqual([
      { audience: 'business', responses: null },
      { audience: 'multiplier', responses: null },
      { audience: 'public', responses: 80 },
    ]);
    expect(across.otherAudiences).toEqual({ groups: ['business', 'multiplier'], responses: 55 });
    expect(across.responses).toBe(135);
  });

  it('hides the total and every sum that touches a wave whose total is hidden', () => {
    const across = acrossWaves([wave(50, [['public', 50]]), wave(null, [['public', null]])]);
    expect(across).toEqual({
      responses: null,
      audiences: [{ audience: 'public', responses: null }],
      otherAudiences: { groups: ['public'], responses: null },
    });
  });
});

describe('withCumulative', () => {
  it('adds the running total at the end of each period', () => {
    const periods = [
      { from: 'a', to: 'a', responses: 12 },
      { from: 'b', to: 'b', responses: 0 },
      { from: 'c', to: 'd', responses: 10 },
    ];
    expect(withCumulative(periods).map((p) => p.cumulative)).toEqual([12, 12, 22]);
  });
});
