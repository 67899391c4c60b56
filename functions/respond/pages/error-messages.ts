import type { FieldIssue } from '../../../shared/errors.js';
import type { Question } from '../../../shared/survey/schema.js';
import { type Lang, ui } from './i18n.js';

/**
 * A validation issue in the respondent's words. The validator's `message` is for developers (and
 * English only); the page shows a message chosen by the issue's `code` and the question.
 */
export function messageFor(issue: FieldIssue, q: Question | undefined, lang: Lang): string {
  const t = ui[lang].error;
  switch (issue.code) {
    case 'required':
      return q?.type === 'consent' ? t.consentRequired : t.required;
    case 'invalid_type':
      if (q?.type === 'number') return q.integer ? t.wholeNumber : t.number;
      return t.choose;
    case 'out_of_range':
      if (q?.type === 'number') return t.numberRange(q.min, q.max);
      if (q?.type === 'multiple_choice' && q.maxSelected !== undefined) return t.maxSelected(q.maxSelected);
      return t.choose;
    case 'too_long':
      return q?.type === 'text' ? t.tooLong(q.maxLength) : t.choose;
    case 'invalid_combination': {
      if (q?.type !== 'multiple_choice') return t.choose;
      const exclusive = q.options.find((o) => q.exclusive.includes(o.code));
      return exclusive ? t.exclusive(exclusive.label[lang]) : t.choose;
    }
    default: // not_shown, unknown_question
      return t.notShown;
  }
}
