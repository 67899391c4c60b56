import { type GateCounts, gateWave, type WaveGate } from '../disclosure/wave-gate.js';
import type { SurveyDefinition } from '../survey/schema.js';
import { RESPONDENTS, type WaveIndex } from './report.js';

/** The exposure answer of those who know the campaign; everyone else is on the other side. */
export const AWARE = 'yes';

/** Indicators whose question is itself the exposure question (splitting them by exposure says nothing). */
export function exposureIndicators(definition: SurveyDefinition): Set<string> {
  const ids = new Set<string>();
  for (const spec of Object.values(definition.audiences)) {
    for (const q of spec?.sections.flatMap((s) => s.questions) ?? []) {
      if (q.dimension === 'exposure' && q.indicator) ids.add(q.indicator);
    }
  }
  return ids;
}

/** Audiences asked the exposure question: only their indicators are split by exposure. */
function exposedAudiences(definition: SurveyDefinition): Set<string> {
  return new Set(
    Object.entries(definition.audiences)
      .filter(([, spec]) => spec?.sections.some((s) => s.questions.some((q) => q.dimension === 'exposure')))
      .map(([audience]) => audience),
  );
}

/**
 * The counts the gate decides on, from a wave's index: per audience, measure (each indicator and
 * the respondents) and city, those aware and the others. Every city of the campaign is listed,
 * with 0 where nobody answered, as the views list them.
 */
export function gateCountsOfIndex(definition: SurveyDefinition, index: WaveIndex | undefined): GateCounts {
  const counts: GateCounts['counts'] = new Map();
  const measures = [RESPONDENTS, ...definition.indicators.map((i) => i.id)];
  for (const [audience, byCity] of index ?? []) {
    const own = new Map<string, Map<string, [number, number]>>();
    counts.set(audience, own);
    const cities = [...new Set([...definition.campaign.cities.map((c) => c.code), ...byCity.keys()])];
    for (const measure of measures) {
      const perCity = new Map<string, [number, number]>();
      for (const city of cities) {
        let aware = 0;
        let other = 0;
        for (const [exposure, byMeasure] of byCity.get(city) ?? []) {
          const n = byMeasure.get(measure)?.n ?? 0;
          if (exposure === AWARE) aware += n;
          else other += n;
        }
        perCity.set(city, [aware, other]);
      }
      own.set(measure, perCity);
    }
  }
  const exposed = exposedAudiences(definition);
  const unsplit = exposureIndicators(definition);
  return {
    counts,
    split: (audience, measure) => measure !== RESPONDENTS && exposed.has(audience) && !unsplit.has(measure),
  };
}

/** The gate of one wave's index (see shared/disclosure/wave-gate.ts). */
export function indexGate(definition: SurveyDefinition, index: WaveIndex | undefined): WaveGate {
  return gateWave(gateCountsOfIndex(definition, index), definition.settings.minCellSize, RESPONDENTS);
}
