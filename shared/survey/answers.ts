import { answerCodes, DONT_KNOW } from './codes.js';
import type { AudienceDefinition, Question, Section } from './schema.js';
import { type Answers, type AnswerValue, isQuestionShown } from './visibility.js';

/** One problem with one answer; `field` is the question id (or `answers` for the whole record). */
export interface AnswerIssue {
  field: string;
  code:
    | 'unknown_question'
    | 'not_shown'
    | 'invalid_type'
    | 'out_of_range'
    | 'required'
    | 'too_long'
    | 'invalid_combination';
  message: string;
}

export type AnswerCheck = { ok: true; answers: Answers } | { ok: false; issues: AnswerIssue[] };

/** Control characters (tab and line breaks allowed) and unpaired surrogates: nothing a person types. */
const UNSTORABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Checks one answer against its question; returns the problem or undefined. */
export function checkAnswer(q: Question, value: unknown): AnswerIssue | undefined {
  const bad = (code: AnswerIssue['code'], message: string): AnswerIssue => ({ field: q.id, code, message });
  switch (q.type) {
    case 'multiple_choice': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
        return bad('invalid_type', 'expected a list of option codes');
      }
      if (value.length === 0) return bad('required', 'select at least one option or leave the question out');
      const codes = answerCodes(q) ?? [];
      const unknown = value.find((v) => !codes.includes(v));
      if (unknown !== undefined) return bad('out_of_range', `"${unknown}" is not an option of this question`);
      if (new Set(value).size !== value.length) return bad('invalid_combination', 'an option is selected twice');
      if (value.length > 1 && value.some((v) => q.exclusive.includes(v))) {
        return bad('invalid_combination', 'this option cannot be combined with others');
      }
      if (q.maxSelected !== undefined && value.length > q.maxSelected) {
        return bad('out_of_range', `select at most ${q.maxSelected} options`);
      }
      return undefined;
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return bad('invalid_type', 'expected a number');
      if (q.integer && !Number.isInteger(value)) return bad('invalid_type', 'expected a whole number');
      if (value < q.min || value > q.max) return bad('out_of_range', `expected a number from ${q.min} to ${q.max}`);
      return undefined;
    }
    case 'text': {
      if (typeof value !== 'string') return bad('invalid_type', 'expected text');
      if (UNSTORABLE.test(value)) return bad('invalid_type', 'contains control characters or broken Unicode');
      if ([...value].length > q.maxLength) return bad('too_long', `at most ${q.maxLength} characters`);
      return undefined;
    }
    case 'likert':
    case 'semantic_differential':
    case 'rating':
    case 'grade': {
      const codes = answerCodes(q) ?? [];
      if (!isInt(value) && value !== DONT_KNOW) return bad('invalid_type', 'expected a scale point (whole number)');
      if (!codes.includes(value)) {
        const points = codes.filter(isInt);
        return bad('out_of_range', `expected ${points[0]} to ${points[points.length - 1]}`);
      }
      return undefined;
    }
    default: {
      const codes = answerCodes(q) ?? [];
      // The codes themselves where they are few (a consent question's "self" and "guardian"), so a
      // client that sent a label or `true` learns what to send.
      const expected = codes.length <= 12 ? `: one of ${codes.map((c) => JSON.stringify(c)).join(', ')}` : '';
      if (typeof value !== 'string') return bad('invalid_type', `expected an option code${expected}`);
      if (!codes.includes(value)) return bad('out_of_range', `"${value}" is not an option of this question${expected}`);
      return undefined;
    }
  }
}

/** Ticked codes in the definition's option order, so equal answers are stored (and hashed) equally. */
function normalise(q: Question, value: AnswerValue): AnswerValue {
  if (q.type !== 'multiple_choice' || !Array.isArray(value)) return value;
  return q.options.map((o) => o.code).filter((code) => value.includes(code));
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Checks the answers of the given sections (all of an audience for an API submission, one for a
 * form page). Every problem is reported, not only the first. Empty texts are dropped.
 */
export function checkSections(sections: Section[], answers: Record<string, unknown>, context: Answers): AnswerCheck {
  const issues: AnswerIssue[] = [];
  const clean: Answers = {};
  const known = new Map<string, { section: Section; question: Question }>();
  for (const section of sections)
    for (const question of section.questions) known.set(question.id, { section, question });

  for (const key of Object.keys(answers)) {
    if (!known.has(key))
      issues.push({ field: key, code: 'unknown_question', message: 'no such question in this survey' });
  }
  // Walk in order so later conditions see earlier (validated) answers.
  const seen: Answers = { ...context };
  for (const { section, question } of known.values()) {
    const raw = answers[question.id];
    const value = question.type === 'text' && typeof raw === 'string' ? raw.trim() : raw;
    const shown = isQuestionShown(section, question, seen);
    if (isEmpty(value)) {
      if (shown && question.required)
        issues.push({ field: question.id, code: 'required', message: 'an answer is required' });
      continue;
    }
    if (!shown) {
      issues.push({
        field: question.id,
        code: 'not_shown',
        message: 'this question was not shown for the earlier answers',
      });
      continue;
    }
    const problem = checkAnswer(question, value);
    if (problem) {
      issues.push(problem);
      continue;
    }
    const normal = normalise(question, value as AnswerValue);
    clean[question.id] = normal;
    seen[question.id] = normal;
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, answers: clean };
}

/** Checks a complete submission for one audience. */
export function checkAnswers(audience: AudienceDefinition, answers: Record<string, unknown>): AnswerCheck {
  return checkSections(audience.sections, answers, {});
}
