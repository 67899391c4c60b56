import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MISSING_CODES } from '../../shared/export/codebook-types.js';
import { type Hierarchy, type KAnonymityPlan, planKAnonymity } from '../../shared/export/k-anonymity.js';
import type { Row } from '../../shared/export/rows.js';

const QI = ['city', 'age_band', 'gender', 'period', 'language'];
const WEEK_TO_WAVE: Hierarchy = { variable: 'period', description: 'week -> wave', generalise: () => '' };
/** Cities 1-4 are in the campaign area, 5-6 outside; weeks go up to the wave; language merged away. */
const HIERARCHIES: Hierarchy[] = [
  {
    variable: 'city',
    description: 'city -> campaign area / outside',
    generalise: (v) => (typeof v === 'number' && v > 0 ? (v <= 4 ? 901 : 902) : v),
  },
  WEEK_TO_WAVE,
  {
    variable: 'language',
    description: 'language -> merged',
    generalise: (v) => (typeof v === 'number' && v > 0 ? MISSING_CODES.generalised.code : v),
  },
];

const rowArb = fc.record({
  audience: fc.integer({ min: 1, max: 2 }),
  wave: fc.integer({ min: 1, max: 2 }),
  city: fc.integer({ min: 1, max: 6 }),
  age_band: fc.integer({ min: 1, max: 5 }),
  gender: fc.constantFrom(1, 2, 3, MISSING_CODES.noAnswer.code),
  period: fc.constantFrom('2026-W45', '2026-W46', '2026-W47'),
  language: fc.constantFrom(1, 1, 1, 2),
  img_modern: fc.integer({ min: 1, max: 5 }),
});

const suppressed = (row: Row) => QI.every((v) => row[v] === MISSING_CODES.suppressed.code || row[v] === '');
const classOf = (row: Row) => JSON.stringify([row.audience, row.wave, ...QI.map((v) => row[v])]);

/** Every written row in a class of at least k written rows: suppressed rows are a class of their own. */
function expectKAnonymous(out: (Row | undefined)[], k: number): void {
  const classes = new Map<string, number>();
  for (const r of out) {
    if (!r) continue;
    const key = suppressed(r) ? JSON.stringify([r.audience, r.wave, 'pool']) : classOf(r);
    classes.set(key, (classes.get(key) ?? 0) + 1);
  }
  for (const n of classes.values()) expect(n).toBeGreaterThanOrEqual(k);
}

const totals = (plan: KAnonymityPlan) => ({
  suppressed: plan.partitions.reduce((a, p) => a + p.suppressedRows, 0),
  dropped: plan.partitions.reduce((a, p) => a + p.droppedRows, 0),
});

describe('k-anonymity', () => {
  it('leaves every written row in a class of at least k, suppressed rows included, and counts what it leaves out (property)', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 0, maxLength: 300 }), fc.integer({ min: 2, max: 8 }), (rows, k) => {
        const plan = planKAnonymity(rows, QI, HIERARCHIES, k);
        const out = rows.map((r) => plan.apply(r));
        expectKAnonymous(out, k);
        // Answers are never touched; audience and wave are kept.
        out.forEach((r, i) => {
          if (!r) return;
          expect(r.img_modern).toBe(rows[i]?.img_modern);
          expect([r.audience, r.wave]).toEqual([rows[i]?.audience, rows[i]?.wave]);
        });
        const { suppressed: s, dropped } = totals(plan);
        expect(s).toBe(out.filter((r) => r && suppressed(r)).length);
        expect(dropped).toBe(out.filter((r) => r === undefined).length);
        expect(plan.partitions.reduce((a, p) => a + p.rows, 0)).toBe(rows.length);
        for (const p of plan.partitions)
          if (p.smallestGroup !== null) expect(p.smallestGroup).toBeGreaterThanOrEqual(k);
      }),
      { numRuns: 200 },
    );
  });

  it('plans each audience and wave on its own, so a wave gives the same release whatever else is exported (property)', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 200 }), fc.integer({ min: 2, max: 6 }), (rows, k) => {
        const all = planKAnonymity(rows, QI, HIERARCHIES, k);
        const wave1 = rows.filter((r) => r.wave === 1);
        const alone = planKAnonymity([...wave1].reverse(), QI, HIERARCHIES, k);
        for (const r of wave1) expect(all.apply(r)).toEqual(alone.apply(r));
        expect(all.baseOutcome(1)).toEqual(alone.baseOutcome(1));
      }),
      { numRuns: 100 },
    );
  });

  it('makes a release with a higher k or without the week a coarsening of the base release (property)', () => {
    // The join attack: rows are unique on their answers, so two releases of the same rows can be
    // matched row by row. When the second only coarsens the first, the match tells nothing more.
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 0, maxLength: 300 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        (rows, k, extra, dropWeek) => {
          const base = planKAnonymity(rows, QI, HIERARCHIES, k);
          const coarse = planKAnonymity(rows, QI, HIERARCHIES, [
            { k },
            { k: k + extra, require: dropWeek ? [WEEK_TO_WAVE] : [] },
          ]);
          expectKAnonymous(
            rows.map((r) => coarse.apply(r)),
            k + extra,
          );
          for (const row of rows) {
            const [b, c] = [base.apply(row), coarse.apply(row)];
            if (!b) expect(c).toBeUndefined();
            if (!b || !c) continue;
            if (suppressed(b)) expect(suppressed(c)).toBe(true);
            if (suppressed(c)) continue;
            if (dropWeek) expect(c.period).toBe('');
            // Each value is the base's, or the base's put through a step the base did not take.
            for (const v of QI) {
              const step = HIERARCHIES.find((h) => h.variable === v);
              expect([b[v], step?.generalise(b[v] as number | string)]).toContain(c[v]);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('drops the week from a release that asks for the wave only, even where the base release keeps it', () => {
    const common = { audience: 1, wave: 1, city: 1, age_band: 2, gender: 1, language: 1 };
    const rows: Row[] = ['2026-W45', '2026-W46'].flatMap((period) =>
      Array.from({ length: 6 }, () => ({ ...common, period })),
    );
    const base = planKAnonymity(rows, QI, HIERARCHIES, 5);
    const waveOnly = planKAnonymity(rows, QI, HIERARCHIES, [{ k: 5 }, { k: 5, require: [WEEK_TO_WAVE] }]);
    expect(rows.map((r) => base.apply(r)?.period)).toEqual(rows.map((r) => r.period));
    expect(rows.map((r) => waveOnly.apply(r)?.period)).toEqual(rows.map(() => ''));
    expect(waveOnly.partitions[0]?.generalised).toEqual(['period']);
    expect(waveOnly.baseOutcome(1)).toEqual(base.baseOutcome(1));
  });

  it('generalises before it suppresses, and only where that helps', () => {
    // 12 rows: three weeks x four cities in the area, one man aged 30-49 each: all unique.
    const rows: Row[] = [];
    for (const period of ['2026-W45', '2026-W46', '2026-W47']) {
      for (const city of [1, 2, 3, 4])
        rows.push({ audience: 1, wave: 1, city, age_band: 3, gender: 1, period, language: 1 });
    }
    const plan = planKAnonymity(rows, QI, HIERARCHIES, 5);
    // Both steps together make one group of 12; neither alone reaches 5.
    expect(plan.partitions).toEqual([
      {
        audience: 1,
        wave: 1,
        shown: '',
        rows: 12,
        generalised: ['city', 'period'],
        suppressedRows: 0,
        suppressedValues: 0,
        droppedRows: 0,
        smallestGroup: 12,
      },
    ]);
    expect(plan.apply(rows[0] as Row)).toMatchObject({ city: 901, period: '' });

    const large: Row[] = Array.from({ length: 20 }, () => ({
      audience: 2,
      wave: 1,
      city: 1,
      age_band: 2,
      gender: 2,
      period: 'W',
      language: 1,
    }));
    const untouched = planKAnonymity(large, QI, HIERARCHIES, 5);
    expect(untouched.partitions[0]?.generalised).toEqual([]);
    expect(untouched.apply(large[0] as Row)).toEqual(large[0]);
  });

  it('gives up other quasi-identifiers before one the survey keeps (the commune of a survey compared per commune)', () => {
    // Two towns of the area, ten German and three English answers each: with k = 5 the English ones
    // need either the towns grouped (cheapest) or the language merged away.
    const rows: Row[] = [];
    for (const city of [1, 2]) {
      for (const [language, count] of [
        [1, 10],
        [2, 3],
      ] as const) {
        for (let i = 0; i < count; i++)
          rows.push({ audience: 1, wave: 1, city, age_band: 3, gender: 1, period: 'W', language });
      }
    }

    // As in a real export, merging the language away loses more than grouping the towns.
    const steps = HIERARCHIES.map((h) => (h.variable === 'language' ? { ...h, merges: true } : h));
    const plain = planKAnonymity(rows, QI, steps, 5);
    const keepingCity = planKAnonymity(rows, QI, steps, 5, [], ['city']);

    expect(plain.partitions[0]?.generalised).toEqual(['city']);
    expect(keepingCity.partitions[0]?.generalised).toEqual(['language']);
    expect(keepingCity.partitions[0]?.suppressedRows).toBe(0);
    expect(rows.map((r) => keepingCity.apply(r)?.city)).toEqual(rows.map((r) => r.city));
    expectKAnonymous(
      rows.map((r) => keepingCity.apply(r)),
      5,
    );
  });

  it('suppresses every quasi-identifier of rows whose group stays below k, when they are k or more', () => {
    const common = { audience: 1, wave: 1, period: 'W', language: 1 };
    const rows: Row[] = [
      ...Array.from({ length: 6 }, () => ({ ...common, city: 1, age_band: 2, gender: 1 })),
      ...[1, 2, 3, 4, 5].map((age_band) => ({ ...common, city: 5, age_band, gender: 3 })),
    ];
    const plan = planKAnonymity(rows, QI, [], 5);
    expect(plan.apply(rows[6] as Row)).toEqual({
      audience: 1,
      wave: 1,
      city: MISSING_CODES.suppressed.code,
      age_band: MISSING_CODES.suppressed.code,
      gender: MISSING_CODES.suppressed.code,
      period: '',
      language: MISSING_CODES.suppressed.code,
    });
    expect(plan.partitions[0]).toMatchObject({ suppressedRows: 5, suppressedValues: 25, droppedRows: 0 });
    expect(plan.apply(rows[0] as Row)).toEqual(rows[0]);
    // A row the counting pass never saw (it arrived later) is not part of the release.
    expect(plan.apply({ ...common, city: 2, age_band: 2, gender: 1 })).toBeUndefined();
    expect(plan.apply({ ...common, wave: 2, city: 1, age_band: 2, gender: 1 })).toBeUndefined();
  });

  it('leaves out the suppressed rows of an audience and wave when there are fewer than k of them', () => {
    // Attack 4 of issue 16: two rows with every quasi-identifier suppressed are a class of two.
    const common = { audience: 1, wave: 1, period: 'W', language: 1 };
    const rows: Row[] = [
      ...Array.from({ length: 6 }, () => ({ ...common, city: 1, age_band: 2, gender: 1 })),
      { ...common, city: 5, age_band: 5, gender: 3 },
      { ...common, city: 6, age_band: 1, gender: 2, language: 2 },
      // The same two in another wave are kept apart from these: their wave is known too.
      ...Array.from({ length: 6 }, () => ({ ...common, wave: 2, city: 1, age_band: 2, gender: 1 })),
    ];
    const plan = planKAnonymity(rows, QI, [], 5);
    expect(rows.map((r) => plan.apply(r) !== undefined)).toEqual([
      ...Array(6).fill(true),
      false,
      false,
      ...Array(6).fill(true),
    ]);
    expect(plan.partitions.map((p) => [p.wave, p.suppressedRows, p.droppedRows])).toEqual([
      [1, 0, 2],
      [2, 0, 0],
    ]);
  });

  it('singles out nobody by language, however rare: the English answer is merged or suppressed', () => {
    // Attack 3 of issue 16: the only English-language row was unique once a neighbour knew that much.
    const common = { audience: 1, wave: 1, period: 'W', city: 1, age_band: 2, gender: 1 };
    const rows: Row[] = [...Array.from({ length: 9 }, () => ({ ...common, language: 1 })), { ...common, language: 2 }];
    const plan = planKAnonymity(rows, QI, HIERARCHIES, 5);
    const out = rows.map((r) => plan.apply(r));
    expect(out.filter((r) => r?.language === 2)).toEqual([]);
    expect(plan.partitions[0]?.generalised).toEqual(['language']);
    expectKAnonymous(out, 5);
  });
});
