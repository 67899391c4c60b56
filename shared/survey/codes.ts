import type { Question } from './schema.js';

/** The code stored for "don't know / no answer" on every scale that offers it. */
export const DONT_KNOW = 'dk';

export type AnswerCode = string | number;

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Scale points of a question as stored numbers (empty for non-scale questions). */
export function scalePoints(q: Question): number[] {
  switch (q.type) {
    case 'likert':
      return range(1, 5);
    case 'semantic_differential':
      return range(1, q.points);
    case 'rating':
      return range(0, 10);
    case 'grade':
      return range(1, 6);
    default:
      return [];
  }
}

/**
 * Every code an answer to this question may hold, or `undefined` when the answer is free
 * (number, text). Used for validation, showIf checks and codebooks alike.
 */
export function answerCodes(q: Question): AnswerCode[] | undefined {
  switch (q.type) {
    case 'single_choice':
      return [...q.options.map((o) => o.code), ...(q.dontKnow ? [DONT_KNOW] : [])];
    case 'multiple_choice':
      return q.options.map((o) => o.code);
    case 'likert':
    case 'semantic_differential':
    case 'rating':
    case 'grade':
      return [...scalePoints(q), ...(q.dontKnow ? [DONT_KNOW] : [])];
    case 'yes_no':
      return ['yes', 'no', ...(q.dontKnow ? [DONT_KNOW] : [])];
    case 'consent':
      return q.parentalConsent === false ? ['self'] : ['self', 'guardian'];
    case 'number':
    case 'text':
      return undefined;
  }
}

/** Questions whose answers add numeric sufficient statistics (n, Σx, Σx²) to aggregates. */
export function isNumeric(q: Question): boolean {
  return scalePoints(q).length > 0 || q.type === 'number';
}

/**
 * What a version of a survey stores, per audience and question: its type and answer codes
 * (`grade:1,2,3,4,5,6,dk`). Two versions with the same listing store the same codes; a listing
 * pinned per version (test/fixtures/survey-codes.json) keeps codes from changing unnoticed.
 */
export function codeListing(audiences: Record<string, { sections: { questions: Question[] }[] } | undefined>) {
  const listing: Record<string, Record<string, string>> = {};
  for (const [audience, spec] of Object.entries(audiences)) {
    if (!spec) continue;
    const questions: Record<string, string> = {};
    for (const q of spec.sections.flatMap((s) => s.questions)) {
      questions[q.id] = `${q.type}:${(answerCodes(q) ?? []).join(',')}`;
    }
    listing[audience] = questions;
  }
  return listing;
}
