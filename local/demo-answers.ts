import { DONT_KNOW, scalePoints } from '../shared/survey/codes.js';
import type { AudienceDefinition, Question, SurveyDefinition } from '../shared/survey/schema.js';
import { type Answers, type AnswerValue, isQuestionShown } from '../shared/survey/visibility.js';
import { DEMO_CITY_WEIGHTS, ELSEWHERE_SHARE } from './demo-cities.js';
import { chance, normal, type Random, weighted } from './random.js';

/**
 * The answers of one synthetic respondent, question by question: plausible for its type and
 * always valid for `checkAnswers` (scale ranges, "dk" only where offered, exclusive codes alone,
 * showIf followed). Pure: randomness comes in.
 */

/** Codes that real respondents pick rarely ("other", "prefer not to say"...). */
const RARE_CODES = new Set(['other', 'elsewhere', 'diverse', 'no_answer', 'prefer_not_to_say', 'none']);
/** Short, harmless free texts: nothing that looks like a person, address or contact. */
const COMMENTS = [
  'Weiter so!',
  'Gute Aktion.',
  'Mehr Informationen an den Schulen wären gut.',
  'Mehr Praktikumsplätze anbieten.',
  'Plakate habe ich gesehen.',
  'Keine Anmerkungen.',
];

/** What drives one respondent's answers. */
export interface Respondent {
  /** Saw the campaign (drives recognition, recall and part of the image). */
  exposed: boolean;
  /**
   * Whether the audience is asked if it knows the campaign (an `exposure` question). Where it is not
   * (a business survey about the administration), yes/no indicators are not about the campaign.
   */
  exposureAsked: boolean;
  /** Standardised view of Handwerk: higher is more favourable. */
  attitude: number;
  /** Campaign effect of the respondent's wave: 0 at the baseline, 1 at the last follow-up. */
  lift: number;
  /** The mean attitude of the respondent's wave (so a respondent can be placed against it). */
  typicalAttitude: number;
}

/**
 * Where the answers to a scale question centre in this respondent's wave, when its indicator has
 * a target with a starting value (`from`): at the starting value at the baseline, reaching the
 * target value by the last follow-up, so the waves before it show a real improvement and a target
 * not yet reached. Undefined for every other question (they centre on the scale).
 */
function targetCentre(definition: SurveyDefinition, q: Question, lift: number): number | undefined {
  const indicator = definition.indicators.find((i) => i.id === q.indicator);
  const target = definition.targets?.find((t) => t.indicator === q.indicator && t.from !== undefined);
  if (!indicator || !target || target.from === undefined) return undefined;
  if (indicator.kind !== 'mean' && indicator.kind !== 'index') return undefined;
  const points = scalePoints(q);
  const lo = points[0];
  const hi = points[points.length - 1];
  if (lo === undefined || hi === undefined) return undefined;
  // Targets are written in the dashboard's unit: the scale itself for a mean, 0-100 for an index.
  const onScale = (v: number) => (indicator.kind === 'index' ? lo + (v / 100) * (hi - lo) : v);
  const start = onScale(target.from);
  return start + (onScale(target.value) - start) * lift;
}

export interface AnswerOptions {
  random: Random;
  cityWeights?: Readonly<Record<string, number>>;
}

/** A scale point around the middle, moved by a standardised score `z`; clamped to the scale. */
function onScale(points: number[], z: number): number {
  const min = points[0] ?? 0;
  const max = points[points.length - 1] ?? 0;
  const value = Math.round((min + max) / 2 + (z * (max - min)) / 4);
  return Math.min(max, Math.max(min, value));
}

/** A scale point around `centre`, moved by the respondent's standardised deviation; clamped to the scale. */
function aroundCentre(points: number[], centre: number, deviation: number): number {
  const min = points[0] ?? 0;
  const max = points[points.length - 1] ?? 0;
  const value = Math.round(centre + (deviation * (max - min)) / 5.5);
  return Math.min(max, Math.max(min, value));
}

function cityWeight(code: string, weights: Readonly<Record<string, number>>, options: string[]): number {
  const known = options.filter((c) => weights[c] !== undefined);
  const average = known.length > 0 ? known.reduce((s, c) => s + (weights[c] ?? 0), 0) / known.length : 1;
  const total = options.filter((c) => c !== 'elsewhere').reduce((s, c) => s + (weights[c] ?? average), 0);
  if (code === 'elsewhere') return total * ELSEWHERE_SHARE;
  return weights[code] ?? average;
}

function shareOfPositive(definition: SurveyDefinition, q: Question): (string | number)[] | undefined {
  const indicator = definition.indicators.find((i) => i.id === q.indicator);
  return indicator?.kind === 'share' ? indicator.positive : undefined;
}

function answerFor(
  q: Question,
  who: Respondent,
  definition: SurveyDefinition,
  options: AnswerOptions,
): AnswerValue | undefined {
  const { random } = options;
  const dk = 'dontKnow' in q && q.dontKnow && chance(random, 0.04);
  const z = 0.3 + 0.7 * who.attitude + 0.7 * normal(random);
  switch (q.type) {
    case 'consent':
      return q.parentalConsent === false || chance(random, 0.95) ? 'self' : 'guardian';
    case 'likert':
    case 'semantic_differential':
    case 'rating':
    case 'grade': {
      if (dk) return DONT_KNOW;
      // School grades: 1 is best, so a better view means a lower grade.
      const better = q.type === 'grade' ? -1 : 1;
      const centre = targetCentre(definition, q, who.lift);
      if (centre === undefined) return onScale(scalePoints(q), q.type === 'grade' ? -z - 0.2 : z);
      return aroundCentre(scalePoints(q), centre, better * (z - 0.3 - 0.7 * who.typicalAttitude));
    }
    case 'yes_no': {
      if (dk) return DONT_KNOW;
      const p =
        q.dimension === 'exposure'
          ? Number(who.exposed)
          : q.indicator && who.exposureAsked
            ? who.exposed
              ? 0.55
              : 0.2
            : 0.5 + 0.1 * who.attitude;
      return chance(random, p) ? 'yes' : 'no';
    }
    case 'single_choice': {
      if (dk) return DONT_KNOW;
      const codes = q.options.map((o) => o.code);
      if (q.dimension === 'city') {
        const weights = options.cityWeights ?? DEMO_CITY_WEIGHTS;
        return weighted(random, codes, (c) => cityWeight(c, weights, codes));
      }
      const positive = shareOfPositive(definition, q);
      if (positive) {
        const p = Math.min(0.9, Math.max(0.1, 0.4 + 0.12 * who.attitude + (who.exposed ? 0.05 : 0)));
        const wanted = chance(random, p);
        const pool = codes.filter((c) => positive.includes(c) === wanted);
        if (pool.length > 0) return weighted(random, pool, () => 1);
      }
      return weighted(random, codes, (c) => (RARE_CODES.has(c) ? 0.2 : 1));
    }
    case 'multiple_choice': {
      const exclusive = q.exclusive.filter((c) => q.options.some((o) => o.code === c));
      const first = exclusive[0];
      const positive = shareOfPositive(definition, q);
      if (positive) {
        // A share indicator (took part in a format): mostly those who know the campaign.
        const yes = chance(random, who.exposureAsked ? (who.exposed ? 0.4 : 0.05) : 0.3);
        const pool = q.options.map((o) => o.code).filter((c) => positive.includes(c) === yes && !exclusive.includes(c));
        if (!yes && first !== undefined) return [first];
        if (pool.length > 0) {
          const one = weighted(random, pool, () => 1);
          const two = weighted(random, pool, () => 1);
          return one === two || chance(random, 0.6) ? [one] : [one, two];
        }
      }
      if (first !== undefined && chance(random, 0.1)) return [first];
      const pool = q.options.map((o) => o.code).filter((c) => !exclusive.includes(c));
      const most = Math.min(q.maxSelected ?? pool.length, pool.length);
      const picked: string[] = [];
      do {
        const next = weighted(
          random,
          pool.filter((c) => !picked.includes(c)),
          (c) => (RARE_CODES.has(c) ? 0.2 : 1),
        );
        picked.push(next);
      } while (picked.length < most && chance(random, 0.4));
      return picked;
    }
    case 'number': {
      // Triangular around the middle of the allowed range.
      const value = q.min + ((random() + random()) / 2) * (q.max - q.min);
      return q.integer ? Math.min(q.max, Math.max(q.min, Math.round(value))) : Math.round(value * 10) / 10;
    }
    case 'text': {
      if (!q.required && !chance(random, 0.05)) return undefined;
      return weighted(random, COMMENTS, () => 1).slice(0, q.maxLength);
    }
  }
}

/** Answers of one respondent, walked in questionnaire order so showIf sees earlier answers. */
export function demoAnswers(
  definition: SurveyDefinition,
  spec: AudienceDefinition,
  who: Respondent,
  options: AnswerOptions,
): Answers {
  const answers: Answers = {};
  for (const section of spec.sections) {
    for (const q of section.questions) {
      if (!isQuestionShown(section, q, answers)) continue;
      // Optional questions are sometimes left out; tagged dimensions a little less often.
      if (!q.required && chance(options.random, q.dimension ? 0.03 : 0.05)) continue;
      const value = answerFor(q, who, definition, options);
      if (value !== undefined) answers[q.id] = value;
    }
  }
  return answers;
}
