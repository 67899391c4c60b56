import { Dimensions, type StoredResponse } from '../response/schema.js';
import { DONT_KNOW, isNumeric, scalePoints } from '../survey/codes.js';
import type { AudienceDefinition, Question, SurveyDefinition } from '../survey/schema.js';

/**
 * What one response adds to its aggregate cell: counters only, so cells can be summed across
 * shards and cells, and recomputed from raw responses to check for drift.
 *
 * Counter names (flat, because DynamoDB `ADD` works on top-level attributes only):
 * - `n`                      responses in the cell
 * - `{q}#n`                  respondents who answered q (numeric: excluding "don't know")
 * - `{q}#s`, `{q}#ss`        Σx and Σx² of numeric answers
 * - `{q}#o#{code}`           count per option code (scales: per point and dk; multiple choice: per ticked code)
 * - `@channel#{code}`        responses per channel (fieldwork report; `unknown` for undeclared links)
 * - `@day#{YYYY-MM-DD}`      responses per submission day (fieldwork progress; days only, never times)
 * - `@ix#{indicator}#n|s|ss` respondents with an index score, Σ and Σ² of their scores in hundredths
 *                            of a point (integers, see `indexScore`)
 *
 * `@` cannot start a question id, so these never clash with question counters.
 */
export type Counters = Record<string, number>;

export const DIMENSION_ORDER = ['city', 'age_band', 'gender', 'role', 'business_size', 'exposure'] as const;

/** Sort key of an aggregate cell: audience then every dimension value, in a fixed order. */
export function cellKey(audience: string, dims: Dimensions): string {
  return [audience, ...DIMENSION_ORDER.map((d) => dims[d])].join('|');
}

export function parseCellKey(key: string): { audience: string; dimensions: Dimensions } {
  const [audience = '', ...values] = key.split('|');
  const dimensions = Dimensions.parse(Object.fromEntries(DIMENSION_ORDER.map((d, i) => [d, values[i] ?? '_'])));
  return { audience, dimensions };
}

function bump(c: Counters, key: string, by = 1): void {
  c[key] = (c[key] ?? 0) + by;
}

/**
 * A respondent's score on an index indicator, 0 to 100: each item of the index they answered
 * (don't-know left out) is put on 0-100 by its scale, (x - lowest point) / (highest - lowest) x 100,
 * and the score is the mean of those. Items are worded so that agreement is favourable. No item
 * answered: no score. Kept per respondent (not per item) so the index gets a proper interval.
 */
export function indexScore(questions: Question[], answers: StoredResponse['answers']): number | undefined {
  let total = 0;
  let items = 0;
  for (const q of questions) {
    const value = answers[q.id];
    const points = scalePoints(q);
    const low = points[0];
    const high = points.at(-1);
    if (typeof value !== 'number' || low === undefined || high === undefined) continue;
    total += ((value - low) / (high - low)) * 100;
    items++;
  }
  return items > 0 ? total / items : undefined;
}

function addIndexScores(
  definition: SurveyDefinition,
  spec: AudienceDefinition,
  response: StoredResponse,
  counters: Counters,
) {
  const questions = spec.sections.flatMap((s) => s.questions);
  for (const indicator of definition.indicators) {
    if (indicator.kind !== 'index') continue;
    const score = indexScore(
      questions.filter((q) => q.indicator === indicator.id),
      response.answers,
    );
    if (score === undefined) continue;
    // Whole hundredths: sums of integers are exact both in DynamoDB's decimal ADD and in a recompute
    // in JavaScript, so `verify` never sees rounding drift (Σ² stays below 2^53 up to 10^8 responses).
    const hundredths = Math.round(score * 100);
    bump(counters, `@ix#${indicator.id}#n`);
    bump(counters, `@ix#${indicator.id}#s`, hundredths);
    bump(counters, `@ix#${indicator.id}#ss`, hundredths * hundredths);
  }
}

export function contributionOf(definition: SurveyDefinition, response: StoredResponse): Counters {
  const spec = definition.audiences[response.audience];
  const counters: Counters = { n: 1, [`@channel#${response.channel}`]: 1, [`@day#${response.submittedOn}`]: 1 };
  if (!spec) return counters;
  addIndexScores(definition, spec, response, counters);
  for (const section of spec.sections) {
    for (const q of section.questions) {
      const value = response.answers[q.id];
      if (value === undefined) continue;
      if (q.type === 'text') {
        bump(counters, `${q.id}#n`);
        continue;
      }
      if (Array.isArray(value)) {
        bump(counters, `${q.id}#n`);
        for (const code of value) bump(counters, `${q.id}#o#${code}`);
        continue;
      }
      if (isNumeric(q) && typeof value === 'number') {
        bump(counters, `${q.id}#n`);
        bump(counters, `${q.id}#s`, value);
        bump(counters, `${q.id}#ss`, value * value);
        if (q.type !== 'number') bump(counters, `${q.id}#o#${value}`);
        continue;
      }
      if (value === DONT_KNOW && isNumeric(q)) {
        bump(counters, `${q.id}#o#${DONT_KNOW}`);
        continue;
      }
      bump(counters, `${q.id}#n`);
      bump(counters, `${q.id}#o#${value}`);
    }
  }
  return counters;
}

/** Adds `b` into `a` (used when reading shards and when recomputing). */
export function addCounters(a: Counters, b: Counters): Counters {
  for (const [k, v] of Object.entries(b)) a[k] = (a[k] ?? 0) + v;
  return a;
}

/** Shard of a response: derived from its id, so a recompute puts it back where it was. */
export function shardOf(responseId: string, shards: number): number {
  let h = 0;
  for (const ch of responseId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % shards;
}
