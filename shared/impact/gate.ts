import { type ChannelGate, gateChannels } from '../disclosure/channel-gate.js';
import { isSmall } from '../disclosure/line.js';
import { type GateCounts, gateWave, type WaveGate } from '../disclosure/wave-gate.js';
import type { SurveyDefinition } from '../survey/schema.js';
import { answerQuestions, channelOfMeasure, isQuestionMeasure, questionMeasure } from './answers.js';
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
export function exposedAudiences(definition: SurveyDefinition): Set<string> {
  return new Set(
    Object.entries(definition.audiences)
      .filter(([, spec]) => spec?.sections.some((s) => s.questions.some((q) => q.dimension === 'exposure')))
      .map(([audience]) => audience),
  );
}

/** What the gate needs of a definition besides the counts, worked out once per definition. */
interface GateShape {
  measures: string[];
  cities: string[];
  split: GateCounts['split'];
}

const shapes = new WeakMap<SurveyDefinition, GateShape>();

function gateShape(definition: SurveyDefinition): GateShape {
  const known = shapes.get(definition);
  if (known) return known;
  const exposed = exposedAudiences(definition);
  const unsplit = exposureIndicators(definition);
  const questions = new Set([...answerQuestions(definition).values()].flat().map((q) => questionMeasure(q.id)));
  const shape: GateShape = {
    // A closed question's answers are a measure like an indicator: hidden per city where those who
    // answered it are few, or could be worked out; they are never split by exposure.
    measures: [RESPONDENTS, ...definition.indicators.map((i) => i.id), ...questions],
    cities: definition.campaign.cities.map((c) => c.code),
    split: (audience, measure) =>
      measure !== RESPONDENTS && !isQuestionMeasure(measure) && exposed.has(audience) && !unsplit.has(measure),
  };
  shapes.set(definition, shape);
  return shape;
}

/**
 * The counts the gate decides on, from a wave's index: per audience, measure (the respondents,
 * each indicator and each closed question leads see) and city, those aware and the others. Every city of the campaign is listed,
 * with 0 where nobody answered, as the views list them.
 */
export function gateCountsOfIndex(definition: SurveyDefinition, index: WaveIndex | undefined): GateCounts {
  const shape = gateShape(definition);
  const weighted = definition.settings.weighting !== undefined;
  const counts: GateCounts['counts'] = new Map();
  const weights: NonNullable<GateCounts['weights']> = new Map();
  const table = (cities: string[]) => new Map(cities.map((city): [string, [number, number]] => [city, [0, 0]]));
  for (const [audience, byCity] of index ?? []) {
    const own = new Map<string, Map<string, [number, number]>>();
    const ownWeights = new Map<string, Map<string, [number, number]>>();
    counts.set(audience, own);
    weights.set(audience, ownWeights);
    const cities = [...shape.cities];
    for (const city of byCity.keys()) if (!cities.includes(city)) cities.push(city);
    for (const measure of shape.measures) {
      own.set(measure, table(cities));
      if (weighted) ownWeights.set(measure, table(cities));
    }
    for (const [city, byExposure] of byCity) {
      for (const [exposure, byMeasure] of byExposure) {
        const side = exposure === AWARE ? 0 : 1;
        for (const measure of shape.measures) {
          const sums = byMeasure.get(measure);
          if (!sums || sums.n === 0) continue;
          const pair = own.get(measure)?.get(city);
          if (pair) pair[side] += sums.n;
          const weight = ownWeights.get(measure)?.get(city);
          if (weight) weight[side] += sums.weighted.sw;
        }
      }
    }
  }
  return { counts, split: shape.split, ...(weighted ? { weights } : {}) };
}

/** Gates already decided, per index (the report and the fieldwork view of one request share them). */
const decided = new WeakMap<WaveIndex, { definition: SurveyDefinition; gate: WaveGate }>();
const NO_INDEX: WaveIndex = new Map();

/** The gate of one wave's index (see shared/disclosure/wave-gate.ts). */
export function indexGate(definition: SurveyDefinition, index: WaveIndex | undefined): WaveGate {
  const key = index ?? NO_INDEX;
  const known = decided.get(key);
  if (known?.definition === definition) return known.gate;
  const gate = gateWave(gateCountsOfIndex(definition, index), definition.settings.minCellSize, RESPONDENTS);
  decided.set(key, { definition, gate });
  return gate;
}

const channelGates = new WeakMap<WaveIndex, { definition: SurveyDefinition; gate: ChannelGate }>();

/**
 * The channel gate of one wave's index (see shared/disclosure/channel-gate.ts): per audience the
 * responses through each channel, audiences hidden where the respondents' gate hides them. The
 * fieldwork report decides its channel line with the same function on the same counts.
 */
export function indexChannelGate(definition: SurveyDefinition, index: WaveIndex | undefined): ChannelGate {
  const key = index ?? NO_INDEX;
  const known = channelGates.get(key);
  if (known?.definition === definition) return known.gate;
  const byAudience = new Map<string, Map<string, number>>();
  let total = 0;
  for (const [audience, byCity] of index ?? []) {
    const own = new Map<string, number>();
    byAudience.set(audience, own);
    for (const byExposure of byCity.values()) {
      for (const byMeasure of byExposure.values()) {
        for (const [measure, sums] of byMeasure) {
          if (measure === RESPONDENTS) total += sums.n;
          const channel = channelOfMeasure(measure);
          if (channel !== undefined) own.set(channel, (own.get(channel) ?? 0) + sums.n);
        }
      }
    }
  }
  const k = definition.settings.minCellSize;
  const respondents = indexGate(definition, index);
  const gate = gateChannels(byAudience, (a) => respondents.hidden(a, RESPONDENTS, null), k, !isSmall(total, k));
  channelGates.set(key, { definition, gate });
  return gate;
}
