import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateDemoResponses } from '../../local/demo-data.js';
import { loadSurveys } from '../../local/load-surveys.js';
import { seededRandom } from '../../local/random.js';
import { exportPlan } from '../../shared/export/codebook.js';
import { MISSING_CODES } from '../../shared/export/codebook-types.js';
import {
  builtInHierarchies,
  CITY_GROUPS,
  declaredHierarchies,
  exportHierarchies,
  quasiIdentifiersOf,
} from '../../shared/export/hierarchies.js';
import { type Hierarchy, planKAnonymity } from '../../shared/export/k-anonymity.js';
import { exportK } from '../../shared/export/profile.js';
import { type Row, rowCoder } from '../../shared/export/rows.js';
import { keptVariables } from '../../shared/export/run.js';
import { buildResponse } from '../../shared/response/build.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
import { validateDefinition } from '../../shared/survey/validate.js';
import { recklinghausenSurvey } from '../fixtures/demo-cells.js';

const SURVEYS = fileURLToPath(new URL('../../surveys', import.meta.url));

const generatedAt = new Date('2027-07-01T08:00:00Z');
const planOf = (definition: SurveyDefinition) =>
  exportPlan(definition, { generatedAt, period: 'week', freeText: 'exclude' });
const MISSING = Object.values(MISSING_CODES).map((m) => m.code);

describe('declared hierarchies (Recklinghausen)', () => {
  const definition = recklinghausenSurvey();
  const plan = planOf(definition);
  const steps = declaredHierarchies(definition, plan);
  const stepOf = (variable: string) => steps.find((s) => s.variable === variable) as Hierarchy;
  const variableOf = (name: string) => plan.codebook.variables.find((v) => v.name === name);
  /** Option code -> the group code its option number is generalised to, for one question's variable. */
  const mapped = (variable: string) => {
    const q = plan.questions.find((p) => p.variables.some((v) => v.name === variable))?.question;
    if (q?.type !== 'single_choice') throw new Error(`${variable} is not single choice`);
    return Object.fromEntries(q.options.map((o, i) => [o.code, stepOf(variable).generalise(i + 1)]));
  };

  it('declares k and a step for every age band, business size, role and trade group variable', () => {
    expect(exportK(definition)).toBe(5);
    expect(steps.map((s) => s.variable).sort()).toEqual(
      ['age_band', 'business_role', 'business_size', 'multiplier_role', 'public_role', 'trade_group'].sort(),
    );
  });

  it('makes the declared trade group a quasi-identifier, with the dimension-tagged questions', () => {
    expect(quasiIdentifiersOf(plan)).toContain('trade_group');
    expect(variableOf('trade_group')).toMatchObject({ quasiIdentifier: true });
    expect(variableOf('trade_group')?.missing.map((m) => m.code)).toContain(MISSING_CODES.suppressed.code);
    // A question neither tagged nor declared stays out.
    expect(variableOf('apprenticeship_filling')).toMatchObject({ quasiIdentifier: false });
  });

  it('maps every option to its group (801, 802, ... in group order)', () => {
    expect(mapped('age_band')).toEqual({
      under_18: 801,
      age_18_29: 801,
      age_30_49: 802,
      age_50_64: 803,
      age_65_plus: 803,
    });
    expect(mapped('business_size')).toEqual({ emp_1_4: 801, emp_5_9: 801, emp_10_49: 802, emp_50_plus: 802 });
    expect(mapped('trade_group')).toEqual({
      construction: 801,
      electrical_metal: 801,
      wood_plastics: 801,
      textiles_leather: 802,
      food: 802,
      health_care_cleaning: 802,
      glass_paper_other: 801,
    });
    expect(mapped('public_role')).toEqual({ pupil: 801, trainee_student: 801, parent: 802, employed: 808, other: 808 });
    expect(mapped('business_role')).toEqual({ owner: 803, employee: 804, apprentice: 804, other: 808 });
    expect(mapped('multiplier_role')).toEqual({
      teacher: 805,
      career_counsellor: 805,
      employment_agency: 805,
      crafts_organisation: 806,
      politics_administration: 807,
      other: 808,
    });
  });

  it('leaves missing codes alone', () => {
    for (const s of steps) for (const code of MISSING) expect(s.generalise(code)).toBe(code);
  });

  it("adds the variable's groups with their labels to its codebook values", () => {
    expect(variableOf('age_band')?.values.filter((v) => Number(v.code) > 800)).toEqual([
      { code: 801, label: { de: 'unter 30 Jahre', en: 'under 30' } },
      { code: 802, label: { de: '30 bis 49 Jahre', en: '30 to 49' } },
      { code: 803, label: { de: '50 Jahre oder älter', en: '50 or older' } },
    ]);
    expect(variableOf('business_role')?.values.map((v) => v.code)).toEqual([1, 2, 3, 4, 803, 804, 808]);
    expect(variableOf('public_role')?.values.map((v) => v.code)).toEqual([1, 2, 3, 4, 5, 801, 802, 808]);
    // Every value a step can produce is labelled.
    for (const s of steps) {
      const values = variableOf(s.variable)?.values ?? [];
      const codes = new Set(values.map((v) => v.code));
      for (const { code } of values.filter((v) => Number(v.code) < 800))
        expect(codes.has(s.generalise(code))).toBe(true);
    }
  });

  it('keeps the built-in city and week steps when no city hierarchy is declared', () => {
    const all = exportHierarchies(definition, planOf(definition));
    expect(all.map((s) => s.variable)).toContain('city');
    expect(all.map((s) => s.variable)).toContain('period');
    expect(all.find((s) => s.variable === 'city')?.generalise(1)).toBe(CITY_GROUPS.area);
  });

  it('replaces the built-in city step by a declared one', () => {
    const raw = structuredClone(definition) as SurveyDefinition;
    const label = (x: string) => ({ de: x, en: x });
    raw.settings.export?.hierarchies.push({
      dimension: 'city',
      groups: [
        {
          code: 'west',
          label: label('Westkreis'),
          members: ['dorsten', 'gladbeck', 'marl', 'haltern-am-see', 'herten'],
        },
        {
          code: 'east',
          label: label('Ostkreis'),
          members: ['castrop-rauxel', 'datteln', 'oer-erkenschwick', 'recklinghausen', 'waltrop'],
        },
        { code: 'outside', label: label('außerhalb'), members: ['elsewhere'] },
      ],
    });
    const parsed = validateDefinition(raw);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const own = planOf(parsed.definition);
    const all = exportHierarchies(parsed.definition, own);
    const city = all.filter((s) => s.variable === 'city' && !s.merges);
    expect(city).toHaveLength(1);
    const options = plan.questions.find((p) => p.question.id === 'city')?.question;
    if (options?.type !== 'single_choice') throw new Error('city');
    const codeOfCity = (c: string) => options.options.findIndex((o) => o.code === c) + 1;
    expect(city[0]?.generalise(codeOfCity('marl'))).toBe(801);
    expect(city[0]?.generalise(codeOfCity('waltrop'))).toBe(802);
    expect(city[0]?.generalise(codeOfCity('elsewhere'))).toBe(803);
    expect(city[0]?.generalise(MISSING_CODES.noAnswer.code)).toBe(MISSING_CODES.noAnswer.code);
    const cityCodes = own.codebook.variables.find((v) => v.name === 'city')?.values.map((v) => v.code);
    expect(cityCodes).toEqual(expect.arrayContaining([801, 802, 803]));
    expect(cityCodes).not.toContain(CITY_GROUPS.area);
    expect(all.map((s) => s.variable)).toContain('period');
  });
});

describe('k-anonymity with declared hierarchies (Recklinghausen demo data)', () => {
  const definition = recklinghausenSurvey();
  const COUNT = 400;
  const responses = generateDemoResponses(definition, {
    count: COUNT,
    random: seededRandom(3),
    now: new Date('2027-06-30T12:00:00Z'),
  }).map(buildResponse);
  const run = (which: typeof builtInHierarchies) => {
    const plan = planOf(definition);
    const hierarchies = which(definition, plan);
    const code = rowCoder(definition, plan, definition.channels);
    const rows: Row[] = responses.map((r) => code(r));
    const qi = quasiIdentifiersOf(plan);
    const k = exportK(definition);
    const kPlan = planKAnonymity(rows, qi, hierarchies, k);
    return { rows, qi, k, kPlan, out: rows.map((r) => kPlan.apply(r)) };
  };
  const total = (r: { kPlan: ReturnType<typeof planKAnonymity> }) =>
    r.kPlan.partitions.reduce((a, d) => a + d.suppressedRows + d.droppedRows, 0);

  it('offers the declared steps beside the built-in ones, and the planner uses them', () => {
    const builtIn = run(builtInHierarchies);
    const declared = run(exportHierarchies);
    expect(builtIn.qi).toEqual(declared.qi);
    // Whether declared groups save rows depends on the draw (docs/export.md, "Example, and a
    // correction"): no claim of fewer rows here, only that both plans account for every row.
    for (const r of [builtIn, declared]) expect(total(r)).toBeLessThan(COUNT);
    // The declared steps are the ones used.
    const used = declared.kPlan.partitions.flatMap((d) => d.generalised);
    expect(
      used.some((v) => ['age_band', 'public_role', 'business_role', 'business_size', 'trade_group'].includes(v)),
    ).toBe(true);
  });

  it('leaves every written row k-anonymous, suppressed rows as a class of their own', () => {
    const { rows, out, qi, k, kPlan } = run(exportHierarchies);
    const written = out.filter((r): r is Row => r !== undefined);
    expect(written).toHaveLength(COUNT - kPlan.partitions.reduce((a, d) => a + d.droppedRows, 0));
    expect(rows).toHaveLength(COUNT);
    const isSuppressed = (r: Row) => qi.every((v) => r[v] === MISSING_CODES.suppressed.code || r[v] === '');
    const groups = new Map<string, number>();
    for (const r of written) {
      const key = JSON.stringify([r.audience, r.wave, ...(isSuppressed(r) ? ['pool'] : qi.map((v) => r[v]))]);
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    for (const n of groups.values()) expect(n).toBeGreaterThanOrEqual(k);
    expect(written.filter(isSuppressed)).toHaveLength(kPlan.partitions.reduce((a, d) => a + d.suppressedRows, 0));
  });
});

describe('kept quasi-identifiers (Emscher-Lippe)', () => {
  it('keeps the variable of each kept question and no other', async () => {
    const [definition] = (await loadSurveys(SURVEYS)).filter((d) => d.id === 'unternehmensbefragung-emscher-lippe');
    if (!definition) throw new Error('no Emscher-Lippe survey');

    expect(definition.settings.export?.keep).toEqual(['commune']);
    expect(keptVariables(definition, planOf(definition))).toEqual(['commune']);
    expect(keptVariables(recklinghausenSurvey(), planOf(recklinghausenSurvey()))).toEqual([]);
  });
});
