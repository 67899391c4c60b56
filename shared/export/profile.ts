import { ExportProfileError, type FieldIssue } from '../errors.js';
import type { SurveyDefinition } from '../survey/schema.js';

/** The k of a survey's export when its file sets none. */
export const DEFAULT_K = 5;

export type Period = 'week' | 'wave';
export type FreeText = 'exclude' | 'scrub';

/** The survey's own k (`settings.export.k`), else 5: the floor of every export. */
export function exportK(definition: SurveyDefinition): number {
  return definition.settings.export?.k ?? DEFAULT_K;
}

/** The profile of an export that asks for nothing: the survey's `settings.export`, else k 5, ISO week, no free text. */
export function exportDefaults(definition: SurveyDefinition): { k: number; period: Period; freeText: FreeText } {
  const own = definition.settings.export;
  return { k: exportK(definition), period: own?.period ?? 'week', freeText: own?.freeText ?? 'exclude' };
}

/** What an export asks for; anything left out comes from the survey file. */
export interface ProfileRequest {
  k?: number | undefined;
  period?: Period | undefined;
  freeText?: FreeText | undefined;
}

/** The profile an export runs with, and the survey file's own (every release is a coarsening of it). */
export interface ExportProfile {
  k: number;
  period: Period;
  freeText: FreeText;
  base: { k: number; period: Period };
}

/**
 * The profile of an export. The survey file's k and period are a floor: a request may raise k or
 * ask for the wave instead of the week, never the reverse (a lower k, or the week where the file
 * says wave), since changing what protects respondents is a change of the survey file, versioned
 * and visible. Free text is the request's to choose: it is never part of the k-anonymity.
 */
export function exportProfile(definition: SurveyDefinition, request: ProfileRequest = {}): ExportProfile {
  const base = exportDefaults(definition);
  const issues: FieldIssue[] = [];
  if (request.k !== undefined && request.k < base.k) {
    issues.push({
      field: 'k',
      code: 'below_floor',
      message: `the survey sets k = ${base.k} (settings.export.k), the least any export of it uses; ask for ${base.k} or more, or change the survey file`,
    });
  }
  if (request.period === 'week' && base.period === 'wave') {
    issues.push({
      field: 'period',
      code: 'finer_than_survey',
      message:
        'the survey exports the wave only (settings.export.period: wave); the ISO week needs a change of the survey file',
    });
  }
  if (issues.length > 0) throw new ExportProfileError(issues);
  return {
    k: request.k ?? base.k,
    period: request.period ?? base.period,
    freeText: request.freeText ?? base.freeText,
    base: { k: base.k, period: base.period },
  };
}
