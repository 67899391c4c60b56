import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Counters, contributionOf } from '../../shared/aggregate/contribution.js';
import { fieldworkReport } from '../../shared/fieldwork/report.js';
import { answerCodesOf, answerCountsOf, answerQuestions, questionMeasure } from '../../shared/impact/answers.js';
import { impactReport } from '../../shared/impact/report.js';
import { buildResponse } from '../../shared/response/build.js';
import type { StoredResponse } from '../../shared/response/schema.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
import { validateDefinition } from '../../shared/survey/validate.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';
import { cellsByWave } from '../setup/cells.js';
import { attack, type Fact } from '../setup/disclosure-attack.js';
import {
  collectChannels,
  collectFieldwork,
  collectImpact,
  collector,
  optionMeasure,
  RESPONDENTS,
  scoreBounds,
} from '../setup/disclosure-facts.js';

/**
 * The audit of issue 16: every view the lead API offers for a survey (each audience, all cities
 * and each city, the exposure rows, the perception gap, the fieldwork counts, channels and
 * periods), collected as the adversary would, then solved for every hidden group by integer linear
 * programming. A hidden group must not come back exactly, and no group of 1 to k-1 respondents
 * (a hidden figure, or a finest group no view shows) may be narrowed to fewer than k/2 possible
 * counts. Here over random data sets (fast-check); test/report/disclosure-views.test.ts runs the
 * same attack over HTTP.
 */
const parsed = validateDefinition({
  ...miniSurvey,
  id: 'duo',
  audiences: { public: miniSurvey.audiences.public, business: miniSurvey.audiences.public },
});
if (!parsed.ok) throw new Error('duo survey is invalid');
const duo: SurveyDefinition = parsed.definition;
const K = duo.settings.minCellSize;
const CITIES = ['alpha', 'beta', 'elsewhere'];

/**
 * The same survey with four towns: some attacks need a block of hidden cities beside a city that
 * one measure hides and another shows (the reviewer's Schwerte case, issue 16).
 */
const WIDE_CITIES = ['alpha', 'beta', 'gamma', 'delta', 'elsewhere'];
const wideParsed = validateDefinition({
  ...duo,
  id: 'wide',
  campaign: {
    ...duo.campaign,
    cities: [...duo.campaign.cities, { code: 'gamma', name: 'Gamma' }, { code: 'delta', name: 'Delta' }],
  },
  audiences: Object.fromEntries(
    Object.entries(duo.audiences).map(([audience, spec]) => [
      audience,
      spec && {
        ...spec,
        sections: spec.sections.map((section) => ({
          ...section,
          questions: section.questions.map((q) =>
            q.id === 'city' && q.type === 'single_choice'
              ? {
                  ...q,
                  options: [
                    ...q.options.filter((o) => o.code !== 'elsewhere'),
                    { code: 'gamma', label: { de: 'Gamma', en: 'Gamma' } },
                    { code: 'delta', label: { de: 'Delta', en: 'Delta' } },
                    ...q.options.filter((o) => o.code === 'elsewhere'),
                  ],
                }
              : q,
          ),
        })),
      },
    ]),
  ),
});
if (!wideParsed.ok) throw new Error(`wide survey is invalid: ${JSON.stringify(wideParsed)}`);
const wide: SurveyDefinition = wideParsed.definition;

interface AuditSurvey {
  definition: SurveyDefinition;
  cities: readonly string[];
}
const DUO: AuditSurvey = { definition: duo, cities: CITIES };
const WIDE: AuditSurvey = { definition: wide, cities: WIDE_CITIES };
const CHANNELS = ['plakat-alpha', 'unknown'];
const DAYS = ['2026-11-18', '2026-11-19'];
const AUDIENCES = ['public', 'business'] as const;

const respondentArb = fc.record({
  // Skewed, so that big groups sit beside small ones (what subtraction needs).
  audience: fc.constantFrom<'public' | 'business'>('public', 'public', 'public', 'business'),
  wave: fc.constantFrom('w0', 'w0', 'w1'),
  city: fc.constantFrom<string>('alpha', 'alpha', 'alpha', 'beta', 'elsewhere'),
  aided: fc.constantFrom('yes', 'no', 'no', undefined),
  img_modern: fc.option(fc.integer({ min: 1, max: 5 })),
  img_pair: fc.option(fc.integer({ min: 1, max: 7 })),
  recommend: fc.option(fc.integer({ min: 0, max: 10 })),
  channel: fc.constantFrom(...CHANNELS),
  day: fc.constantFrom(...DAYS),
});
type Respondent = typeof respondentArb extends fc.Arbitrary<infer T> ? T : never;

function responseOf(r: Respondent, i: number, survey: AuditSurvey = DUO): StoredResponse {
  const answers: Record<string, string | number | string[]> = { ...miniAnswers, city: r.city };
  for (const key of ['aided', 'img_modern', 'img_pair', 'recommend'] as const) {
    if (r[key] === undefined || r[key] === null) delete answers[key];
    else answers[key] = r[key] as string | number;
  }
  if (r.aided !== 'yes') delete answers.channels;
  return buildResponse({
    definition: survey.definition,
    audience: r.audience,
    waveId: r.wave,
    submissionId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    channel: r.channel === 'unknown' ? undefined : r.channel,
    activeChannels: new Set(['plakat-alpha']),
    locale: 'de',
    answers,
    now: new Date(`${r.day}T10:00:00Z`),
  });
}

/**
 * The answers whose counts the audit solves for besides those who answered each closed question:
 * the first and last answer of each question the random respondents vary (the others are the same
 * for everyone, so their shares are 0 or 100 %, a limit the model states). Every option would make
 * the program several times larger; these stand for the rest (an answer is a share among those who
 * answered, hidden by the question's own gate).
 */
const AUDITED_OPTIONS = new Set([
  'img_modern=1',
  'img_modern=5',
  'img_pair=1',
  'img_pair=7',
  'recommend=0',
  'recommend=10',
  'aided=yes',
]);
const audited = (questionId: string, code: string) => AUDITED_OPTIONS.has(`${questionId}=${code}`);

/** The measures of a survey the audit attacks: respondents, indicators, closed questions, audited answers. */
function measuresOf(definition: SurveyDefinition): string[] {
  const questions = answerQuestions(definition).get('public') ?? [];
  return [
    RESPONDENTS,
    ...definition.indicators.map((i) => i.id),
    ...questions.map((q) => questionMeasure(q.id)),
    ...questions.flatMap((q) =>
      answerCodesOf(q)
        .filter((code) => audited(q.id, code))
        .map((code) => optionMeasure(q.id, code)),
    ),
  ];
}

/** The true counts and sums of every atom, from the responses themselves. */
function truthOf(responses: StoredResponse[], definition: SurveyDefinition) {
  const truth = new Map<string, { n: number; s: number }>();
  const add = (key: string, n: number, s: number) => {
    const t = truth.get(key) ?? { n: 0, s: 0 };
    truth.set(key, { n: t.n + n, s: t.s + s });
  };
  for (const r of responses) {
    const contribution = contributionOf(definition, r);
    const side = r.dimensions.exposure === 'yes' ? 'aware' : 'other';
    for (const i of definition.indicators) {
      const n = contribution[`@ind#${i.id}#n`] ?? 0;
      if (n > 0)
        add(
          `${r.waveId}|${i.id}|${r.audience}|${r.dimensions.city}|${side}`,
          n,
          (contribution[`@ind#${i.id}#s`] ?? 0) / 100,
        );
    }
    add(`${r.waveId}|${RESPONDENTS}|${r.audience}|${r.dimensions.city}|${r.channel}|${r.submittedOn}`, 1, 0);
    for (const q of answerQuestions(definition).get(r.audience) ?? []) {
      const counts = answerCountsOf(q, contribution);
      if (counts.n === 0) continue;
      const atom = `${r.audience}|${r.dimensions.city}|${side}`;
      add(`${r.waveId}|${questionMeasure(q.id)}|${atom}`, 1, 0);
      for (const code of answerCodesOf(q).filter((c) => audited(q.id, c))) {
        add(`${r.waveId}|${optionMeasure(q.id, code)}|${atom}`, 1, counts.options[code] ?? 0);
      }
    }
  }
  return truth;
}

/** Every view a lead can ask for, collected as facts. */
function collectAll(cells: Map<string, Map<string, Counters>>, { definition, cities }: AuditSurvey) {
  const into = collector();
  const dims = { audiences: AUDIENCES, cities, channels: CHANNELS, days: DAYS };
  for (const audience of AUDIENCES) {
    for (const city of [undefined, ...cities]) {
      const report = impactReport(definition, cells, { audience, city });
      collectImpact(into, report, cities, audited);
      collectChannels(into, report, dims);
    }
  }
  collectFieldwork(into, fieldworkReport(definition, cells), dims);
  return into;
}

interface Breach {
  table: string;
  group: string;
  trueN: number;
  n: { lo: number; hi: number };
  why: string;
}

/**
 * The attack on one data set, per wave. The respondents and every indicator in one program (atoms
 * named `measure|...`), linked by what the adversary knows besides (those with a score for an
 * indicator in a city are no more than the respondents there); then each closed question, and each
 * audited answer, in a program of its own with the respondents and the same links. Every hidden
 * group and every small atom of the program's measures is attacked.
 *
 * Why apart: the gate decides each measure against the respondents alone (see wave-gate.ts), and
 * these programs check exactly that; one program of every measure grew the audit from 15 s to
 * minutes. What is not checked: chains from one question's figures through the respondents to
 * another question's (they are in the joint program for the indicators).
 */
function audit(responses: StoredResponse[], survey: AuditSurvey = DUO): Breach[] {
  const { definition } = survey;
  const truth = truthOf(responses, definition);
  const into = collectAll(cellsByWave(definition, responses), survey);
  const breaches: Breach[] = [];
  const waves = new Set([...into.facts.keys(), ...into.hidden.keys()].map((t) => t.split('|')[0] ?? ''));
  const all = measuresOf(definition);
  const joint = [RESPONDENTS, ...definition.indicators.map((i) => i.id)];
  const programs = [joint, ...all.filter((m) => !joint.includes(m)).map((m) => [RESPONDENTS, m])];
  for (const wave of waves) {
    for (const measures of programs) breaches.push(...attackProgram(wave, measures, programs[0] === measures));
  }
  return breaches;

  /** One program: `measures`' facts, attacked for their hidden and small groups (the respondents' in the joint one only). */
  function attackProgram(wave: string, measures: string[], withRespondents: boolean): Breach[] {
    const breaches: Breach[] = [];
    const tagged = (measure: string, atoms: readonly string[]) => atoms.map((a) => `${measure}|${a}`);
    const facts: Fact[] = [];
    const hidden: string[][] = [];
    const nonzero: string[][] = [];
    const smallAtoms: string[][] = [];
    for (const measure of measures) {
      const table = `${wave}|${measure}`;
      const seen = new Set<string>();
      for (const f of into.facts.get(table) ?? []) {
        const key = `${[...f.atoms].sort().join(',')}|${f.n}|${f.s}`;
        if (seen.has(key)) continue;
        seen.add(key);
        facts.push({ ...f, atoms: tagged(measure, f.atoms) });
      }
      for (const g of into.nonzero.get(table) ?? []) nonzero.push(tagged(measure, g));
      if (measure === RESPONDENTS && !withRespondents) continue;
      for (const g of into.hidden.get(table) ?? []) hidden.push(tagged(measure, g));
      for (const [key, t] of truth) {
        if (key.startsWith(`${table}|`) && t.n > 0 && t.n < K)
          smallAtoms.push([`${measure}|${key.slice(table.length + 1)}`]);
      }
    }
    // The same group is hidden in many views: each is attacked once.
    const targets = [...new Map([...hidden, ...smallAtoms].map((g) => [[...g].sort().join(','), g])).values()];
    if (targets.length === 0) return breaches;
    // Those with a score, or who answered a question, in a city are no more than its respondents;
    // those who gave an answer no more than those who answered.
    const answered = all.filter((m) => m.startsWith('q#') && !m.includes('='));
    const links = measures
      .filter((m) => m !== RESPONDENTS)
      .flatMap((measure) =>
        AUDIENCES.flatMap((a) =>
          survey.cities.map((c) => ({
            le: ['aware', 'other'].map((side) => `${measure}|${a}|${c}|${side}`),
            ge: CHANNELS.flatMap((ch) => DAYS.map((d) => `${RESPONDENTS}|${a}|${c}|${ch}|${d}`)),
          })),
        ),
      );
    /** What a measure's facts give by difference: a total less the shown groups inside it. */
    const complements = (measure: string): Fact[] => {
      const own = facts.filter((f) => f.atoms[0]?.startsWith(`${measure}|`) && f.s !== undefined);
      return own.flatMap((total) => {
        const taken = new Set<string>();
        let n = total.n;
        let sum = total.s ?? 0;
        for (const part of own) {
          const within = part.atoms.length < total.atoms.length && part.atoms.every((a) => total.atoms.includes(a));
          if (!within || part.atoms.some((a) => taken.has(a))) continue;
          for (const a of part.atoms) taken.add(a);
          n -= part.n;
          sum -= part.s ?? 0;
        }
        const rest = total.atoms.filter((a) => !taken.has(a));
        return taken.size > 0 && rest.length > 0 ? [{ atoms: rest, n, s: sum }] : [];
      });
    };
    // The respondents and those who answered a question are counts: no score to narrow.
    const countOnly = (measure: string) => measure === RESPONDENTS || answered.includes(measure);
    const scoreOf = (atom: string) => {
      // An answer's count is a share's sum: each who answered adds 0 or 1.
      if (atom.startsWith('q#') && atom.split('|')[0]?.includes('=')) return scoreBounds('share');
      const kind = definition.indicators.find((i) => atom.startsWith(`${i.id}|`))?.kind;
      return kind ? scoreBounds(kind) : { lo: 0, hi: 0 };
    };
    // Score sums of every indicator target: what a small group answered is what must stay unknown.
    const ranges = attack(facts, scoreOf, targets, nonzero, {
      links,
      sums: (i) => !countOnly(targets[i]?.[0]?.split('|')[0] ?? RESPONDENTS),
    });
    targets.forEach((group, i) => {
      const range = ranges[i];
      const trueN = group.reduce((sum, atom) => sum + (truth.get(`${wave}|${atom}`)?.n ?? 0), 0);
      if (!range || trueN === 0) return;
      const measure = group[0]?.split('|')[0] ?? '';
      const table = `${wave}|${measure}`;
      const width = range.n.hi - range.n.lo;
      const breach = (why: string) => breaches.push({ table, group: group.join(','), trueN, n: range.n, why });
      if (width < 1) breach('count recovered exactly');
      // Who took part, or answered an item: a hidden small count tells that it is small ("1 to
      // k-1", as "< k" always said); pinning it within fewer than k/2 possible counts (1 told from
      // 5, at k = 10) is a breach. (The reviewer's F1 pinned an item's count to 9 to 11.)
      if (width >= 1 && trueN < K && width + 1 < K / 2) breach(`a group of ${trueN} narrowed`);
      if (countOnly(measure)) return;
      // What they answered: a small group's score sum must stay open by at least one respondent's
      // whole scale, or its answers are narrowed down. Not where a shown group around it answered
      // all alike (a share of 0 or 100 %): that tells every member's answer, a limit the model
      // states (docs/privacy.md, "Limits of the guarantee"), not something the gate can hide.
      const score = scoreOf(group[0] ?? '');
      const inside = (f: Fact) => group.every((atom) => f.atoms.includes(atom));
      const alike = (f: Fact) =>
        f.s !== undefined &&
        f.n > 0 &&
        (Math.abs(f.s - score.lo * f.n) < 1e-6 || Math.abs(f.s - score.hi * f.n) < 1e-6);
      if (facts.some((f) => inside(f) && alike(f))) return;
      // An answer's count is also known for the hidden block, the total less the shown cities (a
      // group of k or more): where nobody there gave that answer (or everybody did), every hidden
      // city's count of it is known too. The same limit: answers have many codes, so a block that
      // never chose one of them is common.
      if (measure.includes('=') && complements(measure).some((f) => inside(f) && alike(f))) return;
      const open = range.s ? range.s.hi - range.s.lo : Number.POSITIVE_INFINITY;
      if (open < 1e-6) breach('score sum recovered exactly');
      else if (trueN < K && open < score.hi - score.lo) breach(`the answers of a group of ${trueN} narrowed`);
    });
    return breaches;
  }
}

describe('disclosure audit of every lead view (issue 16)', () => {
  it('recovers no hidden figure and narrows no group under k, on random data sets (property)', () => {
    fc.assert(
      fc.property(fc.array(respondentArb, { minLength: 20, maxLength: 100, size: 'max' }), (people) => {
        const started = performance.now();
        const breaches = audit(people.map((r, i) => responseOf(r, i)));
        if (process.env.AUDIT_TRACE)
          console.log(`audit of ${people.length}: ${(performance.now() - started).toFixed(0)} ms`);
        expect(breaches).toEqual([]);
      }),
      {
        numRuns: Number(process.env.AUDIT_RUNS ?? 8),
        // Each case takes about a second: shrinking a failure would take minutes; report it as found.
        endOnFailure: true,
        // A fixed seed by default, so every run of the suite attacks the same data sets; AUDIT_SEED
        // and AUDIT_RUNS explore others (seeds 11-36 at 15 runs each passed when this was written).
        seed: Number(process.env.AUDIT_SEED ?? 2026),
      },
    );
  }, 240_000);

  it('recovers nothing in a survey of four towns either, where a block of hidden towns sits beside shown ones (property)', () => {
    const wideArb = fc
      .tuple(respondentArb, fc.constantFrom('alpha', 'alpha', 'beta', 'beta', 'gamma', 'delta', 'elsewhere'))
      .map(([r, city]) => ({ ...r, city }));
    fc.assert(
      fc.property(fc.array(wideArb, { minLength: 30, maxLength: 110, size: 'max' }), (people) => {
        expect(
          audit(
            people.map((r, i) => responseOf(r, i, WIDE)),
            WIDE,
          ),
        ).toEqual([]);
      }),
      {
        numRuns: Number(process.env.AUDIT_RUNS ?? 4),
        endOnFailure: true,
        seed: Number(process.env.AUDIT_SEED ?? 2026),
      },
    );
  }, 240_000);
});

describe('disclosure audit: planted cases', () => {
  const person = (
    city: Respondent['city'],
    aided: 'yes' | 'no',
    audience: 'public' | 'business' = 'public',
  ): Respondent => ({
    audience,
    wave: 'w0',
    city,
    aided,
    img_modern: 4,
    img_pair: 5,
    recommend: 8,
    channel: 'unknown',
    day: '2026-11-18',
  });
  const many = (n: number, city: Respondent['city'], aided: 'yes' | 'no', audience?: 'public' | 'business') =>
    Array.from({ length: n }, () => person(city, aided, audience));

  it("keeps one city's small exposure side hidden when every other city's split is shown", () => {
    const people = [
      ...many(15, 'alpha', 'yes'),
      ...many(3, 'alpha', 'no'),
      ...many(12, 'beta', 'yes'),
      ...many(11, 'beta', 'no'),
      ...many(10, 'elsewhere', 'yes'),
      ...many(10, 'elsewhere', 'no'),
    ];
    expect(audit(people.map((r, i) => responseOf(r, i)))).toEqual([]);
  });

  it("keeps a town hidden for the respondents where an indicator hides it (the reviewer's Schwerte case, F1)", () => {
    // Beta: 11 respondents, 9 of whom rated the image items; gamma, delta and elsewhere are hidden for
    // the respondents and hold 13. With beta's 11 shown, the image index's hidden 22 less at most 13 left
    // beta 9 to 11: three possible counts.
    const skipping = (n: number) => many(n, 'beta', 'no').map((p) => ({ ...p, img_modern: null, img_pair: null }));
    const people = [
      ...many(30, 'alpha', 'no'),
      ...many(9, 'beta', 'no'),
      ...skipping(2),
      ...many(4, 'gamma', 'no'),
      ...many(5, 'delta', 'no'),
      ...many(4, 'elsewhere', 'no'),
    ];
    expect(
      audit(
        people.map((r, i) => responseOf(r, i, WIDE)),
        WIDE,
      ),
    ).toEqual([]);
  });

  it('keeps a small audience hidden for every measure, not only its count of respondents (reviewer A2)', () => {
    // 50 public, 3 businesses: the wave's 53 less the public's 50 answers to an item gave 3 back.
    const people = [...many(25, 'alpha', 'yes'), ...many(25, 'beta', 'no'), ...many(3, 'alpha', 'yes', 'business')];
    expect(audit(people.map((r, i) => responseOf(r, i)))).toEqual([]);
  });
});
