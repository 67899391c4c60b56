import type { AnswerCode } from './codes.js';
import type { AudienceDefinition, Question, Section, ShowIf } from './schema.js';

export type AnswerValue = AnswerCode | string[];
export type Answers = Record<string, AnswerValue>;

/** True when the condition holds for the answers given so far (a missing answer never matches). */
export function matches(showIf: ShowIf | undefined, answers: Answers): boolean {
  if (!showIf) return true;
  const value = answers[showIf.question];
  if (value === undefined) return false;
  const given = Array.isArray(value) ? value : [value];
  return given.some((v) => showIf.anyOf.includes(v));
}

export function isSectionShown(section: Section, answers: Answers): boolean {
  return matches(section.showIf, answers);
}

export function isQuestionShown(section: Section, question: Question, answers: Answers): boolean {
  return isSectionShown(section, answers) && matches(question.showIf, answers);
}

/** Questions a respondent with these answers was shown, in order. */
export function shownQuestions(audience: AudienceDefinition, answers: Answers): Question[] {
  return audience.sections.flatMap((s) => s.questions.filter((q) => isQuestionShown(s, q, answers)));
}

/** Index of the next section to show after `from` (exclusive), skipping hidden ones; -1 at the end. */
export function nextSectionIndex(audience: AudienceDefinition, from: number, answers: Answers): number {
  for (let i = from + 1; i < audience.sections.length; i++) {
    const section = audience.sections[i];
    if (section && isSectionShown(section, answers)) return i;
  }
  return -1;
}

/** The earliest section the respondent may go back to from `current` (sections after a `noBack` lock the past). */
export function previousSectionIndex(audience: AudienceDefinition, current: number, answers: Answers): number {
  for (let i = current - 1; i >= 0; i--) {
    const section = audience.sections[i];
    if (!section) continue;
    if (section.noBack) return -1;
    if (isSectionShown(section, answers)) return i;
  }
  return -1;
}

/** The first section index the respondent can no longer return to once past it, or -1. */
export function lockedBefore(audience: AudienceDefinition, reached: number): number {
  let locked = -1;
  audience.sections.forEach((s, i) => {
    if (s.noBack && i < reached) locked = i;
  });
  return locked;
}
