import { RESPONDENTS } from '../disclosure/wave-gate.js';
import { answerLabel } from '../survey/answer-labels.js';
import { answerCodes } from '../survey/codes.js';
import type { Audience, Question, QuestionType, SurveyDefinition, Text } from '../survey/schema.js';
import { ANY_EXPOSURE, answerQuestions, channelOfMeasure, questionMeasure } from './answers.js';
import { type Flag, flagsFor, UNRELIABLE_BELOW } from './estimate.js';
import { indexChannelGate, indexGate } from './gate.js';
import type { WaveIndex } from './report.js';

/**
 * What a lead reads of every closed question besides the indicators: per wave the share of each
 * answer among those who answered (with "don't know"), and per wave the channels that brought the
 * audience's responses. Both from the wave's index, through the wave's gates, like every figure.
 */

/**
 * Why answers are not shown, besides the indicators' reasons: the wave was released before
 * snapshots kept answers and channels, and a release is never made again (docs/impact.md).
 */
export type AnswerFlag = Flag | 'not-in-release';

export interface AnswerShare {
  code: string;
  label: Text;
  /** Of those who answered (0-1; multiple choice: of respondents, so shares may add up to more than 1). */
  share: number | null;
}

export interface DistributionWave {
  waveId: string;
  /** Those who answered, "don't know" included; null where hidden. */
  n: number | null;
  /** Weighted only: Kish's effective n of those who answered. */
  nEff?: number | null;
  flags: AnswerFlag[];
  /** Every answer code in the question's order, "don't know" last. */
  options: AnswerShare[];
}

export interface QuestionDistribution {
  id: string;
  type: QuestionType;
  label: Text;
  waves: DistributionWave[];
}

export interface ChannelWave {
  waveId: string;
  flags: AnswerFlag[];
  /** Channels that brought responses of the audience, by code; counts, never weighted. */
  channels: { channel: string; responses: number | null }[];
}

export interface AnswerQuery {
  audience: Audience;
  city: string | null;
  weighted: boolean;
  /** Waves whose figures may be shown (settled); the others are still collecting. */
  released: ReadonlySet<string>;
  /** Released waves whose release holds no answers (see `AnswerFlag`). */
  withoutAnswers: ReadonlySet<string>;
}

/** The groups of a selection that hold answers and channels: one city's or every city's. */
function unsplitGroups(index: WaveIndex | undefined, audience: string, city: string | null) {
  const byCity = index?.get(audience);
  const cities = city === null ? [...(byCity?.values() ?? [])] : [byCity?.get(city)];
  return cities.flatMap((byExposure) => {
    const group = byExposure?.get(ANY_EXPOSURE);
    return group ? [group] : [];
  });
}

function distributionWave(
  definition: SurveyDefinition,
  q: Question,
  waveId: string,
  index: WaveIndex | undefined,
  query: AnswerQuery,
): DistributionWave {
  const codes = (answerCodes(q) ?? []).map((code) => ({ code: String(code), label: answerLabel(q, code) }));
  const none = (flags: AnswerFlag[], n: number | null = null): DistributionWave => ({
    waveId,
    n,
    ...(query.weighted ? { nEff: null } : {}),
    flags,
    options: codes.map(({ code, label }) => ({ code, label, share: null })),
  });
  if (!query.released.has(waveId)) return none(['collecting']);
  if (query.withoutAnswers.has(waveId)) return none(['not-in-release']);
  const measure = questionMeasure(q.id);
  if (indexGate(definition, index).hidden(query.audience, measure, query.city)) return none(['suppressed']);
  let n = 0;
  let sw = 0;
  let sw2 = 0;
  const counts = new Map<string, { n: number; sw: number }>();
  for (const group of unsplitGroups(index, query.audience, query.city)) {
    const sums = group.get(measure);
    if (!sums) continue;
    n += sums.n;
    sw += sums.weighted.sw;
    sw2 += sums.weighted.sw2;
    for (const [code, option] of Object.entries(sums.options ?? {})) {
      const sum = counts.get(code) ?? { n: 0, sw: 0 };
      sum.n += option.n;
      sum.sw += option.sw;
      counts.set(code, sum);
    }
  }
  // The gate decides; a group of 1 to k-1 is hidden here as well, as `figureOf` does.
  const flags: AnswerFlag[] = flagsFor(n, definition.settings.minCellSize);
  if (flags.includes('suppressed')) return none(['suppressed']);
  if (n === 0) return none([], 0);
  const share = (code: string) => {
    const count = counts.get(code);
    return query.weighted ? (count?.sw ?? 0) / sw : (count?.n ?? 0) / n;
  };
  const options = codes.map(({ code, label }) => ({ code, label, share: share(code) }));
  if (!query.weighted) return { waveId, n, flags, options };
  // Weighted: hidden by the count (as every figure), marked unreliable by the effective n.
  const nEff = sw2 > 0 ? (sw * sw) / sw2 : 0;
  return { waveId, n, nEff, flags: nEff < UNRELIABLE_BELOW ? ['unreliable'] : [], options };
}

/** Every closed question the audience is asked and leads see, per wave (see shared/impact/answers.ts). */
export function distributionsOf(
  definition: SurveyDefinition,
  indexes: ReadonlyMap<string, WaveIndex>,
  query: AnswerQuery,
): QuestionDistribution[] {
  return (answerQuestions(definition).get(query.audience) ?? []).map((q) => ({
    id: q.id,
    type: q.type,
    label: q.label,
    waves: definition.waves.map((w) => distributionWave(definition, q, w.id, indexes.get(w.id), query)),
  }));
}

/**
 * The channels that brought the audience's responses, per wave, through the channel gate (the one
 * fieldwork's channel line goes through). Channels are not broken down by city, so a city's view
 * has none.
 */
export function channelsOf(
  definition: SurveyDefinition,
  indexes: ReadonlyMap<string, WaveIndex>,
  query: AnswerQuery,
): ChannelWave[] {
  if (query.city !== null) return [];
  return definition.waves.map((w): ChannelWave => {
    const waveId = w.id;
    if (!query.released.has(waveId)) return { waveId, flags: ['collecting'], channels: [] };
    if (query.withoutAnswers.has(waveId)) return { waveId, flags: ['not-in-release'], channels: [] };
    const index = indexes.get(waveId);
    const gate = indexChannelGate(definition, index);
    // An audience hidden for its respondents shows not even which channels it came through.
    if (indexGate(definition, index).hidden(query.audience, RESPONDENTS, null)) {
      return { waveId, flags: ['suppressed'], channels: [] };
    }
    const counts = new Map<string, number>();
    for (const group of unsplitGroups(index, query.audience, null)) {
      for (const [measure, sums] of group) {
        const channel = channelOfMeasure(measure);
        if (channel !== undefined && sums.n > 0) counts.set(channel, (counts.get(channel) ?? 0) + sums.n);
      }
    }
    const channels = [...counts.keys()]
      .sort((a, b) => a.localeCompare(b))
      .map((channel) => ({
        channel,
        responses: gate.hidden(channel, query.audience) ? null : (counts.get(channel) ?? 0),
      }));
    return { waveId, flags: [], channels };
  });
}
