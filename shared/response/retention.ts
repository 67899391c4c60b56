import type { SurveyDefinition } from '../survey/schema.js';
import { endOfCloses } from '../survey/wave-window.js';

/**
 * Retention of microdata (responses and invitation items): when DynamoDB's TTL may delete them.
 *
 * The rule, computed at write time from the definition and a day alone (so `retention apply`,
 * `verify` and `recompute` can compute it again from stored data):
 *
 *   expiresAt = start + `settings.retention.months` calendar months (UTC), where
 *   start = the later of the end of `day` (UTC midnight after it) and the end of the latest `closes`
 *           any wave of the definition declares (a date-only `closes` lasts through that day).
 *
 * `day` is a response's `submittedOn`, or an invitation's last usable day. With every wave scheduled
 * in the file, all responses of a survey expire together, `months` after its last wave; a wave
 * without `closes` has no known end, so its responses are kept `months` after their own day (never
 * less). Admin schedules (`waves schedule`) do not move it: they live in the wave state, not in the
 * definition.
 */

export const DEFAULT_RETENTION_MONTHS = 24;

export function retentionMonths(definition: SurveyDefinition): number {
  return definition.settings.retention?.months ?? DEFAULT_RETENTION_MONTHS;
}

/** `ms` plus whole calendar months in UTC; a day the target month lacks becomes its last day. */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(
    year,
    month,
    Math.min(d.getUTCDate(), lastDay),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

/** When the retention period of something dated `day` (YYYY-MM-DD) starts, in ms. */
export function retentionStart(definition: SurveyDefinition, day: string): number {
  const closes = definition.waves.flatMap((w) => (w.closes ? [endOfCloses(w.closes)] : []));
  return Math.max(endOfCloses(day), ...closes);
}

/** The TTL value (`expiresAt`, epoch seconds) for something dated `day` under the definition. */
export function expiresAtFor(definition: SurveyDefinition, day: string): number {
  return Math.ceil(addMonths(retentionStart(definition, day), retentionMonths(definition)) / 1000);
}

/**
 * The rule as one comparable line, e.g. "24 months after each response's day":
 * two definitions with the same line give every day the same `expiresAt`.
 */
export function retentionRule(definition: SurveyDefinition): string {
  const closes = definition.waves.flatMap((w) => (w.closes ? [endOfCloses(w.closes)] : []));
  const after =
    closes.length > 0 ? `the last wave closes (${new Date(Math.max(...closes)).toISOString()})` : "each response's day";
  return `${retentionMonths(definition)} months after ${after}`;
}
