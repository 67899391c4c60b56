import * as z from 'zod/mini';
import '../../../shared/zod-locale.js';
import type { Action } from '../../../shared/survey/flow.js';
import { type FormBody, firstValue } from './form-values.js';

/** The hidden fields that carry the form's state between pages (answers travel under their question ids). */
export interface Control {
  section: number;
  lock: number;
  shown?: string[];
  submissionId?: string;
  action: Action;
}

const ACTIONS: readonly Action[] = ['next', 'back', 'decline', 'lang'];
const SubmissionId = z.uuid();

function intOf(value: string | undefined): number | undefined {
  return value !== undefined && /^-?\d{1,4}$/.test(value) ? Number(value) : undefined;
}

/** The posted page's state, or `undefined` when the body is not one of our pages. */
export function controlFrom(body: FormBody, sectionCount: number): Control | undefined {
  const section = intOf(firstValue(body, '_section'));
  if (section === undefined || section < 0 || section >= sectionCount) return undefined;
  const lock = Math.min(Math.max(intOf(firstValue(body, '_lock')) ?? -1, -1), sectionCount - 1);
  const shown = firstValue(body, '_shown');
  const sid = SubmissionId.safeParse(firstValue(body, '_sid'));
  const action = ACTIONS.find((a) => a === firstValue(body, '_action')) ?? 'next';
  return {
    section,
    lock,
    action,
    ...(shown !== undefined ? { shown: shown.split(' ').filter(Boolean) } : {}),
    ...(sid.success ? { submissionId: sid.data } : {}),
  };
}
