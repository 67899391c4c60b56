import { Hono } from 'hono';
import type { AppDeps } from './deps.js';

/** Server-rendered survey pages (filled in by the respondent-flow work). */
export function surveyPages(_deps: AppDeps): Hono {
  return new Hono();
}
