import type { StoredResponse } from '../response/schema.js';
import { codeOf } from '../survey/answer-labels.js';
import type { Audience, Channel, SurveyDefinition } from '../survey/schema.js';
import { CHANNEL_KIND_CODES, type ExportPlan } from './codebook.js';
import { MISSING_CODES } from './codebook-types.js';

/** One exported row before anonymisation: variable name -> value (numbers, or text for strings). */
export type Row = Record<string, number | string>;

/** ISO 8601 week of a day, e.g. 2026-W47 (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(day: string): string {
  const DAY = 86_400_000;
  const thursdayOf = (d: Date) => new Date(d.getTime() + (3 - ((d.getUTCDay() + 6) % 7)) * DAY);
  const thursday = thursdayOf(new Date(`${day}T00:00:00Z`));
  const year = thursday.getUTCFullYear();
  const firstThursday = thursdayOf(new Date(Date.UTC(year, 0, 4)));
  const week = 1 + Math.round((thursday.getTime() - firstThursday.getTime()) / (7 * DAY));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * Codes stored responses as rows of the plan's codebook: waves, audiences and languages by their
 * codes, the channel by its kind only, the day by its ISO week (or not at all), every answer by
 * its variable's code, and a missing-value code where there is no answer. Nothing of the
 * response's id, fingerprint, submission day or channel code gets through.
 */
export function rowCoder(
  definition: SurveyDefinition,
  plan: ExportPlan,
  channels: readonly Pick<Channel, 'code' | 'kind'>[],
) {
  const waveCodes = new Map(definition.waves.map((w, i) => [w.id, i + 1]));
  const audienceCodes = new Map((Object.keys(definition.audiences) as Audience[]).map((a, i) => [a, i + 1]));
  const kindCode = (kind: string) => CHANNEL_KIND_CODES.indexOf(kind as (typeof CHANNEL_KIND_CODES)[number]) + 1;
  const channelKinds = new Map(channels.map((c) => [c.code, kindCode(c.kind)]));
  const unknownChannel = kindCode('unknown');
  return (response: StoredResponse, scrub: (text: string) => string = (x) => x): Row => {
    const row: Row = {
      row_id: 0,
      wave: waveCodes.get(response.waveId) ?? MISSING_CODES.notAsked.code,
      audience: audienceCodes.get(response.audience) ?? MISSING_CODES.notAsked.code,
    };
    if (plan.options.period === 'week') row.period = isoWeek(response.submittedOn);
    row.channel_kind = channelKinds.get(response.channel) ?? unknownChannel;
    row.language = response.locale === 'en' ? 2 : 1;
    for (const { question: q, audiences, variables } of plan.questions) {
      const asked = audiences.includes(response.audience);
      const answer = response.answers[q.id];
      for (const v of variables) {
        if (!asked) row[v.name] = v.type === 'string' ? '' : MISSING_CODES.notAsked.code;
        else if (answer === undefined) row[v.name] = v.type === 'string' ? '' : MISSING_CODES.noAnswer.code;
        else if (v.option !== undefined) row[v.name] = Array.isArray(answer) && answer.includes(v.option) ? 1 : 0;
        else if (v.type === 'string') row[v.name] = typeof answer === 'string' ? scrub(answer) : '';
        else if (Array.isArray(answer)) row[v.name] = MISSING_CODES.noAnswer.code;
        // A code the current definition no longer has (an answer under an older version) counts as no answer.
        else row[v.name] = codeOf(q, answer) ?? MISSING_CODES.noAnswer.code;
      }
    }
    return row;
  };
}
