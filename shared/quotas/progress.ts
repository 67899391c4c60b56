import { type Counters, parseCellKey } from '../aggregate/contribution.js';
import type { FieldIssue } from '../errors.js';
import type { AudienceDefinition, SurveyDefinition } from '../survey/schema.js';
import { type Quota, type QuotaGroup, quotaIdOf } from './schema.js';

export interface QuotaProgress {
  id: string;
  quota: Quota;
  /** Stored responses of the group so far (from the aggregate cells, so as fresh as they are). */
  responses: number;
  met: boolean;
}

/** The city codes respondents of an audience can give: its city question's options, if it has one. */
export function cityCodesOf(audience: AudienceDefinition): string[] | undefined {
  for (const section of audience.sections) {
    for (const q of section.questions) {
      if (q.dimension === 'city' && q.type === 'single_choice') return q.options.map((o) => o.code);
    }
  }
  return undefined;
}

/** The city a respondent gave so far (`undefined` before the city question or when it was skipped). */
export function cityAnswerOf(audience: AudienceDefinition, answers: Record<string, unknown>): string | undefined {
  for (const section of audience.sections) {
    for (const q of section.questions) {
      if (q.dimension === 'city') {
        const value = answers[q.id];
        return typeof value === 'string' ? value : undefined;
      }
    }
  }
  return undefined;
}

/** Why a quota group does not fit the survey (unknown wave, audience or city), as field issues. */
export function quotaGroupIssues(definition: SurveyDefinition, group: QuotaGroup): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!definition.waves.some((w) => w.id === group.waveId)) {
    issues.push({ field: 'waveId', code: 'unknown_wave', message: `the survey has no wave "${group.waveId}"` });
  }
  const audience = definition.audiences[group.audience];
  if (!audience) {
    issues.push({
      field: 'audience',
      code: 'unknown_audience',
      message: `the survey has no audience "${group.audience}"`,
    });
  } else if (group.city !== undefined) {
    const cities = cityCodesOf(audience);
    if (!cities) {
      issues.push({
        field: 'city',
        code: 'no_city_question',
        message: `audience "${group.audience}" is not asked for a city`,
      });
    } else if (!cities.includes(group.city)) {
      issues.push({
        field: 'city',
        code: 'unknown_city',
        message: `"${group.city}" is not a city respondents can choose (${cities.join(', ')})`,
      });
    }
  }
  return issues;
}

function inGroup(quota: QuotaGroup, cellKey: string): boolean {
  const { audience, dimensions } = parseCellKey(cellKey);
  return audience === quota.audience && (quota.city === undefined || dimensions.city === quota.city);
}

/** How far each quota is, counted from the aggregate cells of its wave (never from raw responses). */
export function quotaProgress(quotas: Quota[], cellsByWave: Map<string, Map<string, Counters>>): QuotaProgress[] {
  return quotas.map((quota) => {
    let responses = 0;
    for (const [key, counters] of cellsByWave.get(quota.waveId) ?? []) {
      if (inGroup(quota, key)) responses += counters.n ?? 0;
    }
    return { id: quotaIdOf(quota), quota, responses, met: responses >= quota.target };
  });
}

/**
 * The closed quota a newcomer falls under, if any: met, set to `close`, same wave and audience,
 * and either for the whole audience or for the city given (`city` undefined: not asked yet).
 */
export function closedQuotaFor(
  progress: QuotaProgress[],
  group: { waveId: string; audience: string; city?: string | undefined },
): QuotaProgress | undefined {
  return progress.find(
    ({ quota, met }) =>
      met &&
      quota.whenMet === 'close' &&
      quota.waveId === group.waveId &&
      quota.audience === group.audience &&
      (quota.city === undefined || quota.city === group.city),
  );
}
