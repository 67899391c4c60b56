import type { SurveyDefinition } from '../survey/schema.js';
import type { ExportPlan } from './codebook.js';
import type { Hierarchy } from './k-anonymity.js';

/** Codes of generalised cities, beside the city options' 1..k. */
export const CITY_GROUPS = { area: 901, outside: 902 } as const;

/**
 * The generalisation steps every survey has, derived from its definition:
 * - each city variable: a campaign city -> "campaign area", any other city answer -> "outside";
 * - the ISO week of the answer -> none (the wave column stays).
 * Their group codes are added to the city variables' value labels in the plan's codebook.
 */
export function builtInHierarchies(definition: SurveyDefinition, plan: ExportPlan): Hierarchy[] {
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
  if (plan.options.period === 'week') {
    steps.push({ variable: 'period', description: 'period: ISO week -> wave only', generalise: () => '' });
  }
  return steps;
}

/** The quasi-identifiers of a plan: variables marked so, plus the week of the answer. */
export function quasiIdentifiersOf(plan: ExportPlan): string[] {
  return plan.codebook.variables.filter((v) => v.quasiIdentifier).map((v) => v.name);
}
