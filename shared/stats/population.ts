import * as z from 'zod';
import { ResonanzError } from '../errors.js';
import { answerCodes } from '../survey/codes.js';
import { parseYaml } from '../survey/parse-file.js';
import { Audience, Code, Dimension, type SurveyDefinition } from '../survey/schema.js';
import { type DefinitionIssue, formatPath } from '../survey/validate.js';
import type { Margin } from './weighting.js';

/**
 * Population margins of a campaign area: one YAML file per area in `population/`, named by its id
 * (`population/kreis-recklinghausen.yaml`). A survey names the file in `settings.weighting`.
 * The file states where its figures come from and for which date; `audiences` says which margins
 * weight which audience (an audience not listed stays unweighted).
 */

const ReferenceDate = z.string().regex(/^\d{4}(-\d{2}-\d{2})?$/, 'use a year ("2022") or a date ("2022-12-31")');

/** One category of a margin: a value for each of the margin's dimensions, and its size. */
const Target = z.record(z.string(), z.union([z.string(), z.number()]));

export const PopulationMargin = z.strictObject({
  id: Code,
  /** Survey dimensions whose joint values form the categories, e.g. [age_band, gender]. */
  dimensions: z.array(Dimension).min(1).max(3),
  /** persons: counts; percent: shares summing to 100. Either way they are used as shares. */
  unit: z.enum(['persons', 'percent']),
  source: z.string().min(1),
  referenceDate: ReferenceDate,
  /** Assumptions, mappings onto official bands, what is approximate. */
  note: z.string().min(1).optional(),
  /** Rows such as `{ city: marl, value: 85000 }` or `{ age_band: age_18_29, gender: female, value: 7.0 }`. */
  targets: z.array(Target).min(2),
});
export type PopulationMargin = z.infer<typeof PopulationMargin>;

export const Population = z.strictObject({
  id: Code,
  area: z.string().min(1),
  /** False until every figure has been checked against the current official table. */
  verified: z.boolean(),
  margins: z.array(PopulationMargin).min(1),
  /** Margins applied per audience; an audience not named is not weighted. */
  audiences: z.partialRecord(Audience, z.array(Code).min(1)),
});
export type Population = z.infer<typeof Population>;

type Ctx = z.core.$RefinementCtx<Population>;

function checkMargin(ctx: Ctx, margin: PopulationMargin, m: number): void {
  const keys = new Set<string>();
  let sum = 0;
  margin.targets.forEach((row, t) => {
    const path = ['margins', m, 'targets', t];
    const wanted = [...margin.dimensions, 'value'];
    for (const k of Object.keys(row)) {
      if (!wanted.includes(k)) ctx.addIssue({ code: 'custom', path: [...path, k], message: `unknown key "${k}"` });
    }
    for (const d of margin.dimensions) {
      if (!Code.safeParse(row[d]).success) {
        ctx.addIssue({ code: 'custom', path: [...path, d], message: `needs the ${d} code of this category` });
      }
    }
    const value = row.value;
    if (typeof value !== 'number' || !(value >= 0)) {
      ctx.addIssue({ code: 'custom', path: [...path, 'value'], message: 'needs a number of at least 0' });
    } else sum += value;
    const key = margin.dimensions.map((d) => row[d]).join('.');
    if (keys.has(key)) ctx.addIssue({ code: 'custom', path, message: `duplicate category "${key}"` });
    keys.add(key);
  });
  if (!(sum > 0)) ctx.addIssue({ code: 'custom', path: ['margins', m, 'targets'], message: 'all values are 0' });
  if (margin.unit === 'percent' && Math.abs(sum - 100) > 0.5) {
    ctx.addIssue({
      code: 'custom',
      path: ['margins', m, 'targets'],
      message: `percent values sum to ${Number(sum.toFixed(2))}, not 100`,
    });
  }
}

function checkPopulation(population: Population, ctx: Ctx): void {
  const ids = new Set<string>();
  population.margins.forEach((margin, m) => {
    if (ids.has(margin.id))
      ctx.addIssue({ code: 'custom', path: ['margins', m, 'id'], message: 'duplicate margin id' });
    ids.add(margin.id);
    checkMargin(ctx, margin, m);
  });
  for (const [audience, names] of Object.entries(population.audiences)) {
    (names ?? []).forEach((name, i) => {
      if (!ids.has(name)) {
        ctx.addIssue({ code: 'custom', path: ['audiences', audience, i], message: `"${name}" is not a margin id` });
      }
    });
  }
}

export const ValidPopulation = Population.superRefine(checkPopulation);

export type PopulationFileResult =
  | { ok: true; file: string; population: Population }
  | { ok: false; file: string; issues: DefinitionIssue[] };

/** Parses one population file (YAML) and validates it. Pure: text in, result out. */
export function parsePopulationFile(file: string, text: string): PopulationFileResult {
  const yaml = parseYaml(text);
  if (!yaml.ok) return { ok: false, file, issues: yaml.issues };
  const result = ValidPopulation.safeParse(yaml.data);
  if (!result.success) {
    return {
      ok: false,
      file,
      issues: result.error.issues.map((i) => ({ path: formatPath(i.path) || '(root)', message: i.message })),
    };
  }
  const expected = file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
  if (result.data.id !== expected) {
    return { ok: false, file, issues: [{ path: 'id', message: `must be "${expected}", the file's name` }] };
  }
  return { ok: true, file, population: result.data };
}

/** A population file that cannot be read, parsed or used; the message lists `file: path: reason`. */
export class PopulationFileError extends ResonanzError {
  constructor(
    readonly file: string,
    readonly issues: DefinitionIssue[],
    options?: ErrorOptions,
  ) {
    super(issues.map((i) => `${file}: ${i.path}: ${i.message}`).join('\n'), options);
    this.name = 'PopulationFileError';
  }
}

/** A margin's category of a cell: its dimension values joined with ".", as in the file's targets. */
function categoryKey(dimensions: readonly string[], values: Readonly<Record<string, string | number>>): string {
  return dimensions.map((d) => String(values[d] ?? '_')).join('.');
}

/**
 * The raking margins for one audience, in file order; empty when the audience is not weighted.
 * Cell values without a target (`_`, `elsewhere`, `diverse`, `no_answer`) have no category.
 */
export function marginsFor(population: Population, audience: Audience): Margin[] {
  const names = population.audiences[audience] ?? [];
  return names.flatMap((name) => {
    const margin = population.margins.find((m) => m.id === name);
    if (!margin) return [];
    const targets = Object.fromEntries(
      margin.targets.map((row) => [categoryKey(margin.dimensions, row), Number(row.value)]),
    );
    return [{ id: margin.id, categoryOf: (values) => categoryKey(margin.dimensions, values), targets }];
  });
}

/** The survey dimensions an audience is weighted by, in file order; empty when it is not weighted. */
export function weightedDimensions(population: Population, audience: Audience): Dimension[] {
  const names = population.audiences[audience] ?? [];
  const dimensions = names.flatMap((name) => population.margins.find((m) => m.id === name)?.dimensions ?? []);
  return [...new Set(dimensions)];
}

/**
 * Whether a population file fits a survey: every margin applied to an audience uses dimensions
 * that audience asks, target codes are answer codes of those questions, and every campaign city has
 * a population. Returns the problems (empty when it fits).
 */
export function checkPopulationFit(population: Population, definition: SurveyDefinition): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const cities = new Set(definition.campaign.cities.map((c) => c.code));
  for (const [audience, names] of Object.entries(population.audiences)) {
    const spec = definition.audiences[audience as Audience];
    if (!spec) continue;
    const questions = spec.sections.flatMap((s) => s.questions);
    for (const name of names ?? []) {
      const m = population.margins.findIndex((x) => x.id === name);
      const margin = population.margins[m];
      if (!margin) continue;
      for (const dimension of margin.dimensions) {
        const question = questions.find((q) => q.dimension === dimension);
        if (!question) {
          issues.push({
            path: `audiences.${audience}`,
            message: `margin "${name}" needs the dimension ${dimension}, which ${definition.id} does not ask ${audience}`,
          });
          continue;
        }
        const codes = new Set((answerCodes(question) ?? []).map(String));
        margin.targets.forEach((row, t) => {
          const code = String(row[dimension]);
          if (!codes.has(code)) {
            issues.push({
              path: `margins[${m}].targets[${t}].${dimension}`,
              message: `"${code}" is not an answer code of ${definition.id}'s question "${question.id}"`,
            });
          }
        });
        if (dimension === 'city') {
          const given = new Set(margin.targets.map((row) => String(row.city)));
          for (const city of cities) {
            if (!given.has(city)) {
              issues.push({ path: `margins[${m}].targets`, message: `campaign city "${city}" has no population` });
            }
          }
        }
      }
    }
  }
  return issues;
}
