import type { SurveyDefinition } from '../survey/schema.js';
import type { ExportPlan } from './codebook.js';
import { MISSING_CODES } from './codebook-types.js';
import type { Hierarchy } from './k-anonymity.js';

/** Codes of generalised cities, beside the city options' 1..k. */
export const CITY_GROUPS = { area: 901, outside: 902 } as const;

/** Declared group number g (1-based, in declaration order) is coded `DECLARED_GROUP_BASE + g`. */
export const DECLARED_GROUP_BASE = 800;

/**
 * The generalisation steps every survey has, derived from its definition:
 * - each city variable: a campaign city -> "campaign area", any other city answer -> "outside";
 * - the ISO week of the answer -> none (the wave column stays);
 * - every numeric quasi-identifier (language and kind of channel included) -> merged for the
 *   audience and wave (-6), the top of its hierarchy.
 * Their group codes are added to the city variables' value labels in the plan's codebook.
 */
export function builtInHierarchies(definition: SurveyDefinition, plan: ExportPlan): Hierarchy[] {
  return [...cityHierarchies(definition, plan), ...frameHierarchies(plan)];
}

function cityHierarchies(definition: SurveyDefinition, plan: ExportPlan): Hierarchy[] {
  const steps: Hierarchy[] = [];
  const campaignCities = new Set(definition.campaign.cities.map((c) => c.code));
  for (const { question: q, variables } of plan.questions) {
    if (q.dimension !== 'city' || q.type !== 'single_choice') continue;
    const inArea = new Set(q.options.flatMap((o, i) => (campaignCities.has(o.code) ? [i + 1] : [])));
    for (const v of variables) {
      if (!v.values.some((x) => x.code === CITY_GROUPS.area)) {
        v.values.push(
          {
            code: CITY_GROUPS.area,
            label: {
              de: `im Kampagnengebiet (${definition.campaign.region})`,
              en: `in the campaign area (${definition.campaign.region})`,
            },
          },
          {
            code: CITY_GROUPS.outside,
            label: { de: 'außerhalb des Kampagnengebiets', en: 'outside the campaign area' },
          },
        );
      }
      steps.push({
        variable: v.name,
        description: `${v.name}: city -> campaign area / outside`,
        generalise: (value) =>
          typeof value !== 'number' || value <= 0 || value > 900
            ? value
            : inArea.has(value)
              ? CITY_GROUPS.area
              : CITY_GROUPS.outside,
      });
    }
  }
  return steps;
}

/** The step that drops the ISO week, leaving the wave: also what a release that asks for the wave only requires. */
export const WEEK_TO_WAVE: Hierarchy = {
  variable: 'period',
  description: 'period: ISO week -> wave only',
  generalise: () => '',
};

const MISSING = new Set<number | string>(Object.values(MISSING_CODES).map((m) => m.code));

/**
 * The top of every numeric quasi-identifier's hierarchy: its answers (groups included) merged into
 * one missing code for the audience and wave; missing codes stay as they are.
 */
const mergedAway = (variable: string): Hierarchy => ({
  variable,
  description: `${variable}: merged for the audience and wave`,
  generalise: (value) => (typeof value === 'number' && !MISSING.has(value) ? MISSING_CODES.generalised.code : value),
  merges: true,
});

/** The week step (when the week is exported) and a merge step for every numeric quasi-identifier. */
function frameHierarchies(plan: ExportPlan): Hierarchy[] {
  const qi = plan.codebook.variables.filter((v) => v.quasiIdentifier && v.name !== 'wave');
  return [
    ...(qi.some((v) => v.name === 'period') ? [WEEK_TO_WAVE] : []),
    ...qi.filter((v) => v.type === 'numeric').map((v) => mergedAway(v.name)),
  ];
}

/**
 * The generalisation steps a survey declares under `settings.export.hierarchies`: for each
 * single-choice question tagged with the hierarchy's dimension (or the one question it names), its
 * variable's option number ->
 * the code of the option's group (800 + the group's position, 1-based), missing codes unchanged.
 * The groups a variable can take are added to its value labels in the plan's codebook.
 * Validation has made every step total; an option in no group would keep its code.
 */
export function declaredHierarchies(definition: SurveyDefinition, plan: ExportPlan): Hierarchy[] {
  const steps: Hierarchy[] = [];
  for (const h of definition.settings.export?.hierarchies ?? []) {
    const groupCode = new Map(h.groups.flatMap((g, j) => g.members.map((m) => [m, DECLARED_GROUP_BASE + j + 1])));
    for (const { question: q, variables } of plan.questions) {
      const generalised = h.dimension ? q.dimension === h.dimension : q.id === h.question;
      if (!generalised || q.type !== 'single_choice') continue;
      const toGroup = new Map<number, number>();
      q.options.forEach((o, i) => {
        const code = groupCode.get(o.code);
        if (code !== undefined) toGroup.set(i + 1, code);
      });
      const used = h.groups.flatMap((g, j) =>
        [...toGroup.values()].includes(DECLARED_GROUP_BASE + j + 1)
          ? [{ code: DECLARED_GROUP_BASE + j + 1, label: g.label }]
          : [],
      );
      for (const v of variables) {
        for (const value of used) if (!v.values.some((x) => x.code === value.code)) v.values.push(value);
        steps.push({
          variable: v.name,
          description: `${v.name}: ${h.dimension ?? h.question} -> ${used.map((g) => g.label.en).join(' / ')}`,
          generalise: (value) => (typeof value === 'number' ? (toGroup.get(value) ?? value) : value),
        });
      }
    }
  }
  return steps;
}

/**
 * Every generalisation step of an export: the declared ones, then the built-in ones for what is
 * not declared (a declared city hierarchy replaces the built-in campaign area / outside step).
 */
export function exportHierarchies(definition: SurveyDefinition, plan: ExportPlan): Hierarchy[] {
  const declared = declaredHierarchies(definition, plan);
  const ownCity = (definition.settings.export?.hierarchies ?? []).some((h) => h.dimension === 'city');
  return [...declared, ...(ownCity ? [] : cityHierarchies(definition, plan)), ...frameHierarchies(plan)];
}

/**
 * The quasi-identifiers the k-anonymity plan generalises and suppresses: every variable marked so
 * (dimensions, declared questions, week, language, kind of channel) but the wave, by which rows
 * are partitioned instead (with the audience).
 */
export function quasiIdentifiersOf(plan: ExportPlan): string[] {
  return plan.codebook.variables.filter((v) => v.quasiIdentifier && v.name !== 'wave').map((v) => v.name);
}
