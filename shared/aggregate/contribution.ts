import type { Dimensions, StoredResponse } from '../response/schema.js';
import { DONT_KNOW, isNumeric, scalePoints } from '../survey/codes.js';
import type { AudienceDefinition, Indicator, Question, SurveyDefinition } from '../survey/schema.js';

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
 * - `@ind#{indicator}#n|s|ss` respondents with a score on the indicator, Σ and Σ² of their scores,
 *                             in hundredths (integers; see `indicatorScore`)
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
  const [audience = '', city = '_', age_band = '_', gender = '_', role = '_', business_size = '_', exposure = '_'] =
    key.split('|');
  // Built directly (reports parse thousands of keys per request); the field list is DIMENSION_ORDER's.
  return { audience, dimensions: { city, age_band, gender, role, business_size, exposure } };
}

function bump(c: Counters, key: string, by = 1): void {
  c[key] = (c[key] ?? 0) + by;
}

/** A respondent's score on a scale item: 0 to 100 from its lowest to its highest point. */
function onHundredScale(q: Question, value: number): number | undefined {
  const points = scalePoints(q);
  const low = points[0];
  const high = points.at(-1);
  return low === undefined || high === undefined ? undefined : ((value - low) / (high - low)) * 100;
}

function mean(values: number[]): number | undefined {
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
}

/**
 * What one respondent contributes to an indicator, from the questions tagged with it that they
 * answered; `undefined` when they answered none (or only "don't know" where that is no answer):
 * - index: the mean of the answered items, each put on 0-100 by its scale ((x - lowest) / range x 100);
 *   items are worded so that agreement is favourable;
 * - mean: the mean of the answered items on their own scale (a grade stays 1-6);
 * - share: 1 if an answer is one of the indicator's positive codes, else 0; "don't know" counts as
 *   asked and not positive;
 * - nps: +1 for a promoter (9-10), -1 for a detractor (0-6), 0 for a passive.
 * Every indicator is then the mean of these scores over respondents, with the same sufficient
 * statistics (n, Σ, Σ²) for intervals and weighting.
 */
export function indicatorScore(
  indicator: Indicator,
  questions: Question[],
  answers: StoredResponse['answers'],
): number | undefined {
  const given = questions.filter((q) => answers[q.id] !== undefined);
  const numbers = given.flatMap((q) => {
    const value = answers[q.id];
    return typeof value === 'number' ? [{ q, value }] : [];
  });
  switch (indicator.kind) {
    case 'index':
      return mean(numbers.flatMap(({ q, value }) => onHundredScale(q, value) ?? []));
    case 'mean':
      return mean(numbers.map(({ value }) => value));
    case 'nps': {
      const first = numbers[0];
      if (!first) return undefined;
      return first.value >= 9 ? 1 : first.value <= 6 ? -1 : 0;
    }
    case 'share': {
      if (given.length === 0) return undefined;
      const positive = new Set((indicator.positive ?? []).map(String));
      const hit = given.some((q) => [answers[q.id]].flat().some((v) => positive.has(String(v))));
      return hit ? 1 : 0;
    }
  }
}

function addIndicatorScores(
  definition: SurveyDefinition,
  spec: AudienceDefinition,
  response: StoredResponse,
  counters: Counters,
) {
  const questions = spec.sections.flatMap((s) => s.questions);
  for (const indicator of definition.indicators) {
    const tagged = questions.filter((q) => q.indicator === indicator.id);
    if (tagged.length === 0) continue;
    const score = indicatorScore(indicator, tagged, response.answers);
    if (score === undefined) continue;
    // Whole hundredths: sums of integers are exact both in DynamoDB's decimal ADD and in a recompute
    // in JavaScript, so `verify` never sees rounding drift.
    const hundredths = Math.round(score * 100);
    bump(counters, `@ind#${indicator.id}#n`);
    bump(counters, `@ind#${indicator.id}#s`, hundredths);
    bump(counters, `@ind#${indicator.id}#ss`, hundredths * hundredths);
  }
}

export function contributionOf(definition: SurveyDefinition, response: StoredResponse): Counters {
  const spec = definition.audiences[response.audience];
  const counters: Counters = { n: 1, [`@channel#${response.channel}`]: 1, [`@day#${response.submittedOn}`]: 1 };
  if (!spec) return counters;
  addIndicatorScores(definition, spec, response, counters);
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
