import type { FieldIssue } from '../errors.js';
import { cityCodesOf } from '../quotas/progress.js';
import type { Audience, SurveyDefinition } from '../survey/schema.js';
import type { ImpactQuery } from './report.js';

const AUDIENCE_ORDER: readonly Audience[] = ['public', 'business', 'multiplier'];

/**
 * The audience a report shows when the query names none: the public where the survey asks it,
 * else the first audience it asks (a business survey has no public).
 */
export function defaultAudience(definition: SurveyDefinition): Audience {
  return AUDIENCE_ORDER.find((a) => definition.audiences[a]) ?? 'public';
}

/** Why an impact query does not fit the survey, as field issues named like the query parameters. */
export function impactQueryIssues(definition: SurveyDefinition, query: ImpactQuery): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const audience = definition.audiences[query.audience];
  if (!audience) {
    issues.push({
      field: 'audience',
      code: 'unknown_audience',
      message: `the survey does not ask "${query.audience}"`,
    });
  } else if (query.city !== undefined && !(cityCodesOf(audience) ?? []).includes(query.city)) {
    issues.push({ field: 'city', code: 'unknown_city', message: `"${query.city}" is not a city of this survey` });
  }
  const waves = new Set(definition.waves.map((w) => w.id));
  if (query.compare) {
    for (const field of ['from', 'to'] as const) {
      const wave = query.compare[field];
      if (!waves.has(wave)) issues.push({ field, code: 'unknown_wave', message: `the survey has no wave "${wave}"` });
    }
    if (query.compare.from === query.compare.to) {
      issues.push({ field: 'to', code: 'same_wave', message: 'compare two different waves' });
    }
  }
  return issues;
}
