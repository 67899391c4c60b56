import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Counters } from '../../shared/aggregate/contribution.js';
import { type FieldworkReport, fieldworkReport } from '../../shared/fieldwork/report.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
import { validateDefinition } from '../../shared/survey/validate.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { attack, type Fact, type Range } from '../setup/disclosure-attack.js';

/**
 * The margins of shared/fieldwork/margins.ts (the hidden groups of a line together, the audiences
 * over all waves, the running totals of the curve) against the adversary of docs/privacy.md. It
 * reads the fieldwork report once as it was before the margins and once with them, each as
 * linear facts about the finest groups the report slices (wave x audience x city x channel x
 * day, all waves in one program, as the across-waves sums tie them together), and solves for the
 * range of every hidden group and every group of 1 to k-1 respondents. The margins may not change
 * any range at all: they must be sums of what was shown. A planted margin that is not (an
 * audience's true sum over the waves where one wave hides it) must be caught by the same check.
 */
const parsed = validateDefinition({
  ...miniSurvey,
  id: 'trio',
  waves: [...miniSurvey.waves, { id: 'w2', label: { de: 'Zweite Folgemessung', en: 'Follow-up 2' }, kind: 'followup' }],
  audiences: {
    public: miniSurvey.audiences.public,
    business: miniSurvey.audiences.public,
    multiplier: miniSurvey.audiences.public,
  },
});
if (!parsed.ok) throw new Error('trio survey is invalid');
const trio: SurveyDefinition = parsed.definition;
const K = trio.settings.minCellSize;

const WAVES = ['w0', 'w1', 'w2'];
const AUDIENCES = ['public', 'business', 'multiplier'];
const CITIES = ['alpha', 'beta', 'elsewhere'];
const CHANNELS = ['plakat-alpha', 'unknown'];
const DAYS = ['2026-11-18', '2026-11-19'];

const respondentArb = fc.record({
  // Skewed, so that big groups sit beside small ones (what subtraction needs).
  wave: fc.constantFrom(...WAVES),
  audience: fc.constantFrom('public', 'public', 'public', 'business', 'business', 'multiplier'),
  city: fc.constantFrom('alpha', 'alpha', 'alpha', 'beta', 'elsewhere'),
  channel: fc.constantFrom('plakat-alpha', 'plakat-alpha', 'unknown'),
  day: fc.constantFrom(...DAYS),
});
type Respondent = typeof respondentArb extends fc.Arbitrary<infer T> ? T : never;

const atomOf = (r: Respondent) => [r.wave, r.audience, r.city, r.channel, r.day].join('|');

/** The cells the submit transaction would build for these respondents (no indicator answered). */
function cellsOf(people: readonly Respondent[]): Map<string, Map<string, Counters>> {
  const byWave = new Map<string, Map<string, Counters>>();
  for (const r of people) {
    const cells = byWave.get(r.wave) ?? new Map<string, Counters>();
    byWave.set(r.wave, cells);
    const key = `${r.audience}|${r.city}|_|_|_|_|no`;
    const own = cells.get(key) ?? {};
    for (const counter of ['n', `@channel#${r.channel}`, `@day#${r.day}`]) own[counter] = (own[counter] ?? 0) + 1;
    cells.set(key, own);
  }
  return byWave;
}

/** Atoms of a group: each listed value, all values where a dimension is not given. */
function atoms(pick: { waves?: string[]; audience?: string; city?: string; channel?: string; days?: string[] }) {
  const out: string[] = [];
  for (const w of pick.waves ?? WAVES)
    for (const a of pick.audience ? [pick.audience] : AUDIENCES)
      for (const c of pick.city ? [pick.city] : CITIES)
        for (const ch of pick.channel ? [pick.channel] : CHANNELS)
          for (const d of pick.days ?? DAYS) out.push([w, a, c, ch, d].join('|'));
  return out;
}

interface Read {
  facts: Fact[];
  /** Groups the report hides. */
  hidden: string[][];
  /** Hidden groups the adversary knows hold someone: the gate hides no 0 beside a shown total. */
  nonzero: string[][];
}

/**
 * What the report showed before the margins: totals, audiences, cities, channels, periods; and by
 * omission that an audience, city or channel it does not list holds nobody (it lists what the
 * cells hold).
 */
function readBase(report: FieldworkReport): Read {
  const read: Read = { facts: [], hidden: [], nonzero: [] };
  const none = (group: string[]) => read.facts.push({ atoms: group, n: 0 });
  const add = (group: string[], n: number | null, totalShown: boolean) => {
    if (n !== null) read.facts.push({ atoms: group, n });
    else {
      read.hidden.push(group);
      if (totalShown) read.nonzero.push(group);
    }
  };
  for (const w of report.waves) {
    const waves = [w.waveId];
    add(atoms({ waves }), w.responses, false);
    const listed = new Set(w.audiences.map((a) => a.audience));
    for (const audience of AUDIENCES.filter((a) => !listed.has(a))) none(atoms({ waves, audience }));
    for (const a of w.audiences) {
      add(atoms({ waves, audience: a.audience }), a.responses, w.responses !== null);
      for (const c of a.cities)
        add(atoms({ waves, audience: a.audience, city: c.city }), c.responses, a.responses !== null);
      const cities = new Set(a.cities.map((c) => c.city));
      for (const city of CITIES.filter((c) => !cities.has(c))) none(atoms({ waves, audience: a.audience, city }));
    }
    for (const c of w.channels) add(atoms({ waves, channel: c.channel }), c.responses, w.responses !== null);
    const channels = new Set(w.channels.map((c) => c.channel));
    for (const channel of CHANNELS.filter((c) => !channels.has(c))) none(atoms({ waves, channel }));
    for (const p of w.periods)
      add(atoms({ waves, days: DAYS.filter((d) => d >= p.from && d <= p.to) }), p.responses, false);
  }
  return read;
}

/** The margins as facts, each about the atoms of every group it names. */
function marginFacts(report: FieldworkReport): Fact[] {
  const facts: Fact[] = [];
  const push = (group: string[], n: number | null) => {
    if (n !== null) facts.push({ atoms: group, n });
  };
  for (const w of report.waves) {
    const waves = [w.waveId];
    for (const a of w.audiences) {
      if (a.otherCities)
        push(
          a.otherCities.groups.flatMap((city) => atoms({ waves, audience: a.audience, city })),
          a.otherCities.responses,
        );
    }
    if (w.otherAudiences)
      push(
        w.otherAudiences.groups.flatMap((audience) => atoms({ waves, audience })),
        w.otherAudiences.responses,
      );
    if (w.otherChannels)
      push(
        w.otherChannels.groups.flatMap((channel) => atoms({ waves, channel })),
        w.otherChannels.responses,
      );
    for (const p of w.periods) push(atoms({ waves, days: DAYS.filter((d) => d <= p.to) }), p.cumulative);
  }
  const across = report.acrossWaves;
  push(atoms({}), across.responses);
  for (const a of across.audiences) push(atoms({ audience: a.audience }), a.responses);
  if (across.otherAudiences)
    push(
      across.otherAudiences.groups.flatMap((audience) => atoms({ audience })),
      across.otherAudiences.responses,
    );
  return facts;
}

/** Every hidden group and every finest group of 1 to k-1, each once. */
function targetsOf(read: Read, people: readonly Respondent[]): string[][] {
  const counts = new Map<string, number>();
  for (const r of people) counts.set(atomOf(r), (counts.get(atomOf(r)) ?? 0) + 1);
  const small = [...counts].filter(([, n]) => n > 0 && n < K).map(([atom]) => [atom]);
  return [...new Map([...read.hidden, ...small].map((g) => [[...g].sort().join(','), g])).values()];
}

const widths = (ranges: Range[]) => ranges.map((r) => [r.n.lo, r.n.hi]);

/** The adversary's ranges for every target, from the base facts alone and with `extra` added. */
function compare(people: readonly Respondent[], extra: (report: FieldworkReport) => Fact[]) {
  const report = fieldworkReport(trio, cellsOf(people));
  const base = readBase(report);
  const targets = targetsOf(base, people);
  const before = attack(base.facts, { lo: 0, hi: 0 }, targets, base.nonzero);
  const after = attack([...base.facts, ...extra(report)], { lo: 0, hi: 0 }, targets, base.nonzero);
  return { report, targets, before: widths(before), after: widths(after) };
}

describe('fieldwork margins under attack', () => {
  it('are each worked out exactly from the report without them (property)', () => {
    fc.assert(
      fc.property(fc.array(respondentArb, { minLength: 25, maxLength: 140, size: 'max' }), (people) => {
        // Prepare
        const report = fieldworkReport(trio, cellsOf(people));
        const base = readBase(report);
        const margins = marginFacts(report);
        // Act: the least and the most each margin could be, given only what was shown before
        const ranges = attack(
          base.facts,
          { lo: 0, hi: 0 },
          margins.map((f) => f.atoms),
          base.nonzero,
        );
        // Assess
        expect(widths(ranges)).toEqual(margins.map((f) => [f.n, f.n]));
      }),
      { numRuns: 15, seed: 2026, endOnFailure: true },
    );
  }, 120_000);

  it('let no hidden or small group be narrowed further than the report without them (property)', () => {
    fc.assert(
      fc.property(fc.array(respondentArb, { minLength: 25, maxLength: 140, size: 'max' }), (people) => {
        const { before, after } = compare(people, marginFacts);
        expect(after).toEqual(before);
      }),
      // A fixed seed, so every run attacks the same data sets (a few seconds each).
      {
        numRuns: Number(process.env.AUDIT_RUNS ?? 4),
        seed: Number(process.env.AUDIT_SEED ?? 2026),
        endOnFailure: true,
      },
    );
  }, 120_000);

  describe('on a planted wave where two audiences are hidden', () => {
    // w0: every audience shown. w1: business 4 and multiplier 11 hidden together (15 = 60 - 45).
    const many = (n: number, wave: string, audience: Respondent['audience']): Respondent[] =>
      Array.from({ length: n }, () => ({ wave, audience, city: 'alpha', channel: 'plakat-alpha', day: '2026-11-18' }));
    const people = [
      ...many(40, 'w0', 'public'),
      ...many(20, 'w0', 'business'),
      ...many(20, 'w0', 'multiplier'),
      ...many(45, 'w1', 'public'),
      ...many(4, 'w1', 'business'),
      ...many(11, 'w1', 'multiplier'),
    ];

    it('shows the hidden audiences together and keeps their sums over the waves hidden', () => {
      const { report, before, after } = compare(people, marginFacts);
      const w1 = report.waves.find((w) => w.waveId === 'w1');
      expect(w1?.otherAudiences).toEqual({ groups: ['business', 'multiplier'], responses: 15 });
      expect(report.acrossWaves.audiences).toEqual([
        { audience: 'business', responses: null },
        { audience: 'multiplier', responses: null },
        { audience: 'public', responses: 85 },
      ]);
      expect(after).toEqual(before);
    });

    it("catches a margin that is not a sum of shown counts: business's true sum over the waves", () => {
      // Prepare: the margin a careless view would add (20 in w0 + 4 in w1)
      const leaky = (report: FieldworkReport) => [
        ...marginFacts(report),
        { atoms: atoms({ audience: 'business' }), n: 24 },
      ];
      // Act
      const { targets, before, after } = compare(people, leaky);
      // Assess: business in w1 was 1 to 14 before, exactly 4 with the margin
      const businessW1 = targets.findIndex(
        (g) => g.join(',') === atoms({ waves: ['w1'], audience: 'business' }).join(','),
      );
      expect(before[businessW1]).toEqual([1, 14]);
      expect(after[businessW1]).toEqual([4, 4]);
    });
  });
});
