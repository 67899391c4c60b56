import { DONT_KNOW } from '../../../shared/survey/codes.js';
import type { Question } from '../../../shared/survey/schema.js';

/** A parsed form body (`parseBody({ all: true })`): repeated names become arrays. */
export type FormBody = Record<string, string | File | (string | File)[]>;

/** Every string value sent under `name` (files and missing fields give none). */
export function fieldValues(body: FormBody, name: string): string[] {
  const value = body[name];
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return all.filter((v): v is string => typeof v === 'string');
}

export function firstValue(body: FormBody, name: string): string | undefined {
  return fieldValues(body, name)[0];
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/;

/**
 * One question's form strings as the typed answer the validator expects, or `undefined` when
 * nothing was given. Strings that do not convert stay strings, so the validator reports them
 * (a typed "abc" in a number field becomes "expected a number", not a silent omission).
 */
export function answerFromForm(q: Question, raw: string[]): unknown {
  if (q.type === 'multiple_choice') {
    const picked = raw.map((v) => v.trim()).filter((v) => v !== '');
    return picked.length > 0 ? picked : undefined;
  }
  if (raw.length > 1) return raw; // one answer expected: let the validator name the problem
  const value = raw[0];
  if (value === undefined) return undefined;
  switch (q.type) {
    case 'text': {
      // Browsers send line breaks as CRLF but count them as one character against maxlength.
      const text = value.replace(/\r\n?/g, '\n');
      return text.trim() === '' ? undefined : text;
    }
    case 'number': {
      const trimmed = value.trim();
      if (trimmed === '') return undefined;
      return DECIMAL.test(trimmed) ? Number(trimmed.replace(',', '.')) : trimmed;
    }
    case 'likert':
    case 'semantic_differential':
    case 'rating':
    case 'grade': {
      const trimmed = value.trim();
      if (trimmed === '') return undefined;
      if (trimmed === DONT_KNOW) return DONT_KNOW;
      return INTEGER.test(trimmed) ? Number(trimmed) : trimmed;
    }
    default: {
      const trimmed = value.trim();
      return trimmed === '' ? undefined : trimmed;
    }
  }
}

/** The answers to `questions` found in the form body, keyed by question id. */
export function answersFromForm(questions: Question[], body: FormBody): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const q of questions) {
    const value = answerFromForm(q, fieldValues(body, q.id));
    if (value !== undefined) answers[q.id] = value;
  }
  return answers;
}

/** An answer as the form strings that send it again (hidden fields, pre-filled inputs). */
export function formStrings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  return [String(value)];
}
