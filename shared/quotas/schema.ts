import * as z from 'zod/mini';
import '../zod-locale.js';
import { Audience, Code } from '../survey/schema.js';

/**
 * A fieldwork target for one group of a wave: the respondents of one audience, optionally only
 * those in one city. `whenMet` says what the public links do once the target is reached: `close`
 * thanks newcomers of the group and stores nothing, `keep` goes on collecting (the target is then
 * only a progress mark in the fieldwork report).
 */
export const QuotaMode = z.enum(['close', 'keep']);
export type QuotaMode = z.infer<typeof QuotaMode>;

export const QuotaSettings = z.strictObject({
  target: z.number().check(z.int(), z.gte(1), z.lte(1_000_000)),
  whenMet: z._default(QuotaMode, 'close'),
});
export type QuotaSettings = z.infer<typeof QuotaSettings>;

export const QuotaGroup = z.strictObject({
  waveId: Code,
  audience: Audience,
  /** A city code of the audience's city question; absent: the whole audience in that wave. */
  city: z.optional(Code),
});
export type QuotaGroup = z.infer<typeof QuotaGroup>;

export const Quota = z.strictObject({ ...QuotaGroup.shape, ...QuotaSettings.shape, setOn: z.iso.date() });
export type Quota = z.infer<typeof Quota>;

/**
 * A quota's id in URLs and on the command line: `wave.audience` or `wave.audience.city`. Codes
 * never contain a dot, so the id splits back unambiguously.
 */
export function quotaIdOf(group: QuotaGroup): string {
  return [group.waveId, group.audience, ...(group.city ? [group.city] : [])].join('.');
}

export function parseQuotaId(id: string): QuotaGroup | undefined {
  const [waveId, audience, city, ...rest] = id.split('.');
  if (rest.length > 0) return undefined;
  const parsed = QuotaGroup.safeParse({ waveId, audience, ...(city !== undefined ? { city } : {}) });
  return parsed.success ? parsed.data : undefined;
}
