import { type AnswerIssue, checkAnswer, checkSections } from './answers.js';
import type { AudienceDefinition, Question, Section } from './schema.js';
import {
  type Answers,
  isQuestionShown,
  isSectionShown,
  lockedBefore,
  matches,
  nextSectionIndex,
  previousSectionIndex,
} from './visibility.js';

/**
 * One step of the page-by-page form, without HTTP: what the posted page asks for and what to show
 * next. The server keeps no session, so everything it needs arrives with the form: the answers so
 * far, the section the page showed, and how far the answers are locked.
 */
export type Action = 'next' | 'back' | 'decline' | 'lang';

/** Answers as converted from form strings: shaped like answers, not yet validated. */
export type RawAnswers = Record<string, unknown>;

export interface Posted {
  section: number;
  /** Index of the last `noBack` section the respondent has moved past (-1: none). */
  lock: number;
  /** Question ids the posted page displayed (to notice questions its answers reveal); unknown if absent. */
  shown?: string[];
  answers: RawAnswers;
}

/** What the browser remembers about the lock beyond the page (see `lock-cookie.ts`). */
export interface Locked {
  lock: number;
  answers: Answers;
}

/** `answered`: this device already answered the open wave (a hint only; the form stays open). */
export type PageNotice = 'locked' | 'revealed' | 'busy' | 'answered';

export type Step =
  | { kind: 'page'; section: number; lock: number; answers: RawAnswers; issues: AnswerIssue[]; notice?: PageNotice }
  | { kind: 'finish'; lock: number; answers: Answers }
  | { kind: 'declined' };

const isAnswerValue = (v: unknown): v is Answers[string] =>
  typeof v === 'string' ||
  (typeof v === 'number' && Number.isFinite(v)) ||
  (Array.isArray(v) && v.every((x) => typeof x === 'string'));

/** The entries shaped like answers (used to evaluate showIf conditions on raw values). */
export function asAnswers(raw: RawAnswers): Answers {
  const out: Answers = {};
  for (const [key, value] of Object.entries(raw)) if (isAnswerValue(value)) out[key] = value;
  return out;
}

function idsOf(sections: Section[]): Set<string> {
  return new Set(sections.flatMap((s) => s.questions.map((q) => q.id)));
}

function pick<T>(answers: Record<string, T>, ids: Set<string>): Record<string, T> {
  return Object.fromEntries(Object.entries(answers).filter(([id]) => ids.has(id)));
}

function omit<T>(answers: Record<string, T>, ids: Set<string>): Record<string, T> {
  return Object.fromEntries(Object.entries(answers).filter(([id]) => !ids.has(id)));
}

/**
 * Questions of the section to display for these answers. A question may depend on an earlier one
 * on the same page: without JavaScript it appears once that answer has been sent (see `step`).
 */
export function visibleQuestions(section: Section, answers: RawAnswers): Question[] {
  const ids = idsOf([section]);
  const seen = asAnswers(omit(answers, ids));
  const visible: Question[] = [];
  for (const q of section.questions) {
    if (!isQuestionShown(section, q, seen)) continue;
    visible.push(q);
    const value = answers[q.id];
    if (isAnswerValue(value)) seen[q.id] = value;
  }
  return visible;
}

/** The answers a respondent with these answers was actually asked (stale ones of hidden questions dropped). */
export function visibleAnswers(audience: AudienceDefinition, answers: Answers): Answers {
  const kept: Answers = {};
  for (const section of audience.sections) {
    for (const q of section.questions) {
      const value = answers[q.id];
      if (value !== undefined && isQuestionShown(section, q, kept)) kept[q.id] = value;
    }
  }
  return kept;
}

/** The answers to every question up to and including section `lock` (what the lock protects). */
export function lockedAnswers(audience: AudienceDefinition, lock: number, answers: RawAnswers): Answers {
  return asAnswers(pick(answers, idsOf(audience.sections.slice(0, lock + 1))));
}

/** "Section 2 of 6": sections shown for these answers (conditional ones count once they apply). */
export function progressOf(
  audience: AudienceDefinition,
  index: number,
  answers: RawAnswers,
): { position: number; total: number } {
  const typed = asAnswers(answers);
  const shown = audience.sections.flatMap((s, i) => (i === index || isSectionShown(s, typed) ? [i] : []));
  return { position: shown.filter((i) => i <= index).length, total: shown.length };
}

/** False when no section after `index` can be shown any more: the page's button then submits. */
export function mayContinue(audience: AudienceDefinition, index: number, answers: RawAnswers): boolean {
  const typed = asAnswers(answers);
  const passed = idsOf(audience.sections.slice(0, index));
  return audience.sections.slice(index + 1).some((s) => {
    if (!s.showIf || matches(s.showIf, typed)) return true;
    return typed[s.showIf.question] === undefined && !passed.has(s.showIf.question);
  });
}

function page(
  section: number,
  lock: number,
  answers: RawAnswers,
  issues: AnswerIssue[] = [],
  notice?: PageNotice,
): Step {
  return { kind: 'page', section, lock, answers, issues, ...(notice ? { notice } : {}) };
}

/** Decides what follows a posted page. Pure: the route parses the form and renders the result. */
export function step(audience: AudienceDefinition, posted: Posted, action: Action, locked?: Locked): Step {
  const lock = Math.max(posted.lock, locked?.lock ?? -1);
  // What the browser remembers wins over a page's hidden fields: an old page from the history
  // carries the answers from before the lock.
  const answers = locked
    ? { ...omit(posted.answers, idsOf(audience.sections.slice(0, locked.lock + 1))), ...locked.answers }
    : posted.answers;
  const index = posted.section;
  const section = audience.sections[index];

  if (!section || index <= lock) {
    const resume = nextSectionIndex(audience, lock, asAnswers(answers));
    if (resume < 0) return { kind: 'finish', lock, answers: visibleAnswers(audience, asAnswers(answers)) };
    return page(resume, lock, answers, [], 'locked');
  }

  switch (action) {
    case 'decline':
      return index === 0 ? { kind: 'declined' } : page(index, lock, answers);
    case 'lang':
      return page(index, lock, answers);
    case 'back': {
      const previous = previousSectionIndex(audience, index, asAnswers(answers));
      if (previous < 0 || previous <= lock) return page(index, lock, answers, [], 'locked');
      // Keep what is valid on this page for when the respondent comes forward again.
      const kept = { ...answers };
      for (const q of section.questions) {
        if (kept[q.id] !== undefined && checkAnswer(q, kept[q.id])) delete kept[q.id];
      }
      return page(previous, lock, kept);
    }
    case 'next':
      return forward(audience, index, section, lock, answers, posted.shown);
  }
}

function forward(
  audience: AudienceDefinition,
  index: number,
  section: Section,
  lock: number,
  answers: RawAnswers,
  shown: string[] | undefined,
): Step {
  const ids = idsOf([section]);
  const context = omit(answers, ids);
  const visible = visibleQuestions(section, answers);
  const current = pick(answers, new Set(visible.map((q) => q.id)));
  const checked = checkSections([section], current, asAnswers(context));
  if (!checked.ok) return page(index, lock, { ...context, ...current }, checked.issues);

  const merged: Answers = { ...asAnswers(context), ...checked.answers };
  if (shown && visible.some((q) => !shown.includes(q.id))) return page(index, lock, merged, [], 'revealed');

  const next = nextSectionIndex(audience, index, merged);
  const reached = next < 0 ? audience.sections.length : next;
  const newLock = Math.max(lock, lockedBefore(audience, reached));
  if (next < 0) return { kind: 'finish', lock: newLock, answers: visibleAnswers(audience, merged) };
  return page(next, newLock, merged);
}
