import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MISSING_CODES } from '../../shared/export/codebook-types.js';
import { type Hierarchy, planKAnonymity } from '../../shared/export/k-anonymity.js';
import type { Row } from '../../shared/export/rows.js';

const QI = ['city', 'age_band', 'gender', 'period'];
/** Cities 1-4 are in the campaign area, 5-6 outside; weeks go up to the wave. */
const HIERARCHIES: Hierarchy[] = [
  {
    variable: 'city',
    description: 'city -> campaign area / outside',
    generalise: (v) => (typeof v === 'number' && v > 0 ? (v <= 4 ? 901 : 902) : v),
  },
  { variable: 'period', description: 'week -> wave', generalise: () => '' },
];

const rowArb = fc.record({
  audience: fc.integer({ min: 1, max: 2 }),
  city: fc.integer({ min: 1, max: 6 }),
  age_band: fc.integer({ min: 1, max: 5 }),
  gender: fc.constantFrom(1, 2, 3, MISSING_CODES.noAnswer.code),
  period: fc.constantFrom('2026-W45', '2026-W46', '2026-W47'),
  img_modern: fc.integer({ min: 1, max: 5 }),
});

const suppressed = (row: Row) => QI.every((v) => row[v] === MISSING_CODES.suppressed.code || row[v] === '');

describe('k-anonymity', () => {
  it('leaves every row either in a group of at least k or suppressed, and drops no row (property)', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 0, maxLength: 300 }), fc.integer({ min: 2, max: 8 }), (rows, k) => {
        const plan = planKAnonymity(rows, QI, HIERARCHIES, k);
        const out = rows.map((r) => plan.apply(r));
        expect(out).toHaveLength(rows.length);
        const groups = new Map<string, number>();
        for (const r of out) {
          if (suppressed(r)) continue;
          const key = JSON.stringify([r.audience, ...QI.map((v) => r[v])]);
          groups.set(key, (groups.get(key) ?? 0) + 1);
        }
        for (const n of groups.values()) expect(n).toBeGreaterThanOrEqual(k);
        // Answers are never touched; the audience is kept.
        out.forEach((r, i) => {
          expect(r.img_modern).toBe(rows[i]?.img_modern);
          expect(r.audience).toBe(rows[i]?.audience);
        });
        const reported = plan.audiences.reduce((a, d) => a + d.suppressedRows, 0);
        expect(reported).toBe(out.filter(suppressed).length);
        for (const d of plan.audiences) if (d.smallestGroup !== null) expect(d.smallestGroup).toBeGreaterThanOrEqual(k);
      }),
      { numRuns: 200 },
    );
  });

  it('generalises before it suppresses, and only where that helps', () => {
    // 12 rows: three weeks x four cities in the area, one man aged 30-49 each: all unique.
    const rows: Row[] = [];
    for (const period of ['2026-W45', '2026-W46', '2026-W47']) {
      for (const city of [1, 2, 3, 4]) rows.push({ audience: 1, city, age_band: 3, gender: 1, period });
    }
    const plan = planKAnonymity(rows, QI, HIERARCHIES, 5);
    // Both steps together make one group of 12; neither alone reaches 5.
    expect(plan.audiences).toEqual([
      {
        audience: 1,
        rows: 12,
        generalised: ['city', 'period'],
        suppressedRows: 0,
        suppressedValues: 0,
        smallestGroup: 12,
      },
    ]);
    expect(plan.apply(rows[0] as Row)).toMatchObject({ city: 901, period: '' });

    const large: Row[] = Array.from({ length: 20 }, () => ({
      audience: 2,
      city: 1,
      age_band: 2,
      gender: 2,
      period: 'W',
    }));
    const untouched = planKAnonymity(large, QI, HIERARCHIES, 5);
    expect(untouched.audiences[0]?.generalised).toEqual([]);
    expect(untouched.apply(large[0] as Row)).toEqual(large[0]);
  });

  it('suppresses every quasi-identifier of a row whose group stays below k', () => {
    const rows: Row[] = [
      ...Array.from({ length: 6 }, () => ({ audience: 1, city: 1, age_band: 2, gender: 1, period: 'W' })),
      { audience: 1, city: 5, age_band: 5, gender: 3, period: 'W' },
    ];
    const plan = planKAnonymity(rows, QI, [], 5);
    expect(plan.apply(rows[6] as Row)).toEqual({
      audience: 1,
      city: MISSING_CODES.suppressed.code,
      age_band: MISSING_CODES.suppressed.code,
      gender: MISSING_CODES.suppressed.code,
      period: '',
    });
    expect(plan.audiences[0]).toMatchObject({ suppressedRows: 1, suppressedValues: 4, smallestGroup: 6 });
    // A row the counting pass never saw (it arrived later, or from another audience) is suppressed too.
    expect(plan.apply({ audience: 1, city: 2, age_band: 2, gender: 1, period: 'W' })).toMatchObject({ city: -7 });
    expect(plan.apply({ audience: 3, city: 1, age_band: 2, gender: 1, period: 'W' })).toMatchObject({ city: -7 });
    expect(plan.apply(rows[0] as Row)).toEqual(rows[0]);
  });
});
