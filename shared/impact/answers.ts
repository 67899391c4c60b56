import type { Counters } from '../aggregate/contribution.js';
import { isQuasiIdentifier } from '../survey/answer-labels.js';
import { answerCodes, DONT_KNOW, isNumeric } from '../survey/codes.js';
import type { Audience, Question, SurveyDefinition } from '../survey/schema.js';

/**
 * Which closed questions a lead sees the answers of (per question and wave, under the disclosure
 * gate), and how their counts are read from aggregate counters (see shared/aggregate/contribution.ts).
 *
 * Left out:
 * - free text and consent (text is for evaluators; every stored response has consent);
 * - free numbers (`number`): a mean of unbounded values can be dominated by one respondent, so a
 *   figure about k people can still tell one person's value; the gate counts people and has no
 *   dominance rule;
 * - the questions that carry what the adversary knows (city, age band, gender, role, business
 *   size, and `settings.export.quasiIdentifiers`): their distribution would break respondents down
 *   by what identifies them, which no view does (docs/privacy.md).
 * The exposure question stays: its "yes" count per group is what the exposure indicator already shows.
 */

/** One closed question's answers in a group: those who answered (with "don't know") and per code. */
export type AnswerCounts = { n: number; options: Record<string, number> };

/**
 * Answers and channels are never split by exposure: the wave index keeps them under this exposure
 * key, summed over every exposure answer (a third of the size of keeping them per answer).
 * Exposure answers are codes, so they never clash with it.
 */
export const ANY_EXPOSURE = '*';

const QUESTION_MEASURE = 'q#';
const CHANNEL_MEASURE = '@channel#';

/** The gate's and the wave index's name for a closed question's answers (question ids cannot hold `#`). */
export const questionMeasure = (questionId: string) => `${QUESTION_MEASURE}${questionId}`;
export const isQuestionMeasure = (measure: string) => measure.startsWith(QUESTION_MEASURE);

/** The wave index's name for responses that came through a channel (the counter's own name). */
export const channelMeasure = (channel: string) => `${CHANNEL_MEASURE}${channel}`;
export const channelOfMeasure = (measure: string): string | undefined =>
  measure.startsWith(CHANNEL_MEASURE) ? measure.slice(CHANNEL_MEASURE.length) : undefined;

function shown(q: Question, declared: ReadonlySet<string>): boolean {
  if (q.type === 'text' || q.type === 'consent' || q.type === 'number') return false;
  return !isQuasiIdentifier(q, declared);
}

const perDefinition = new WeakMap<SurveyDefinition, Map<Audience, Question[]>>();

/** Per audience, its closed questions whose answers leads see, in questionnaire order. */
export function answerQuestions(definition: SurveyDefinition): Map<Audience, Question[]> {
  const known = perDefinition.get(definition);
  if (known) return known;
  const declared = new Set(definition.settings.export?.quasiIdentifiers ?? []);
  const out = new Map<Audience, Question[]>();
  for (const [audience, spec] of Object.entries(definition.audiences) as [
    Audience,
    typeof definition.audiences.public,
  ][]) {
    if (!spec) continue;
    out.set(
      audience,
      spec.sections.flatMap((s) => s.questions).filter((q) => shown(q, declared)),
    );
  }
  perDefinition.set(definition, out);
  return out;
}

/** Every answer code a question's distribution lists, as counters name them: options (or points), "don't know" last. */
export function answerCodesOf(q: Question): string[] {
  return (answerCodes(q) ?? []).map(String);
}

/**
 * Those in one cell who answered a closed question. Numeric scales count "don't know" apart from
 * `{q}#n` (it has no value for a mean); here it belongs to those who answered, as in every
 * distribution.
 */
export function answeredOf(q: Question, counters: Counters): number {
  const dk = isNumeric(q) ? (counters[`${q.id}#o#${DONT_KNOW}`] ?? 0) : 0;
  return (counters[`${q.id}#n`] ?? 0) + dk;
}

/** A closed question's counts in one cell: those who answered (see `answeredOf`) and each code's. */
export function answerCountsOf(q: Question, counters: Counters): AnswerCounts {
  const options: Record<string, number> = {};
  for (const code of answerCodesOf(q)) {
    const count = counters[`${q.id}#o#${code}`] ?? 0;
    if (count !== 0) options[code] = count;
  }
  return { n: answeredOf(q, counters), options };
}

/** The aggregate counters the answer distributions read: per question `{q}#n` and `{q}#o#{code}`. */
export function answerCounterNames(definition: SurveyDefinition): string[] {
  const names = new Set<string>();
  for (const questions of answerQuestions(definition).values()) {
    for (const q of questions) {
      names.add(`${q.id}#n`);
      for (const code of answerCodesOf(q)) names.add(`${q.id}#o#${code}`);
    }
  }
  return [...names];
}
