import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

/**
 * Discourages repeat answers on public links without tracking anyone: after the thank-you page the
 * browser keeps a cookie whose value is only the wave id (the same for every respondent), scoped to
 * the survey's path. The server stores nothing and never counts it; a later visit in the same wave
 * shows a polite hint, and the form stays open (shared devices in schools and families).
 */
const NAME = 'rz_answered';
const HALF_YEAR_SECONDS = 183 * 24 * 3600;

const pathOf = (surveyId: string) => `/s/${surveyId}`;

export function markAnswered(c: Context, surveyId: string, waveId: string): void {
  setCookie(c, NAME, waveId, {
    path: pathOf(surveyId),
    maxAge: HALF_YEAR_SECONDS,
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
  });
}

export function answeredBefore(c: Context, waveId: string): boolean {
  return getCookie(c, NAME) === waveId;
}
