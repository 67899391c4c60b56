import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import {
  AudienceNotFoundError,
  InvitationAudienceMismatchError,
  InvitationExpiredError,
  InvitationNotFoundError,
  InvitationRevokedError,
  InvitationTokenMalformedError,
  InvitationUsedError,
  NoOpenWaveError,
  StorageBusyError,
  SubmissionConflictError,
  SurveyNotFoundError,
} from '../../../shared/errors.js';
import type { Logger } from '../../lib/logger.js';
import { langFrom, ui } from './i18n.js';
import { sendPage } from './layout.js';
import { MessagePage } from './message-page.js';

const PAGE_PATH = /^\/(s\/[^/]+\/[^/]+|i\/[^/]+)$/;

/** Paths of the respondent pages: their errors are pages, never problem+json. */
export function isPagePath(path: string): boolean {
  return path === '/s' || path === '/i' || ['/s/', '/c/', '/i/'].some((prefix) => path.startsWith(prefix));
}

/**
 * The HTML counterpart of `problemFor`: the same domain errors, as pages a respondent can read.
 * Used by the pages' own error handler and by the app's for errors raised before routing (body limit).
 */
export function pageError(c: Context, error: unknown, logger: Logger): Promise<Response> {
  const lang = langFrom(c.req.query('lang'));
  const t = ui[lang].pages;
  const formPath = PAGE_PATH.test(c.req.path) ? c.req.path : undefined;
  const restart = formPath ? { href: `${formPath}${lang === 'en' ? '?lang=en' : ''}`, label: t.restart } : undefined;
  const show = (status: number, title: string, text: string, link = restart, headers: Record<string, string> = {}) =>
    sendPage(
      c,
      <MessagePage lang={lang} siteTitle={ui[lang].siteName} title={title} text={text} link={link} />,
      status,
      headers,
    );

  if (error instanceof SurveyNotFoundError || error instanceof AudienceNotFoundError) {
    return show(404, t.notFoundTitle, t.notFoundText, undefined);
  }
  // Personal links: each reason in its own words, with the same statuses as the API (problemFor).
  if (error instanceof InvitationTokenMalformedError || error instanceof InvitationAudienceMismatchError) {
    return show(400, t.invitationMalformedTitle, t.invitationMalformedText, undefined);
  }
  if (error instanceof InvitationNotFoundError) {
    return show(404, t.invitationUnknownTitle, t.invitationUnknownText, undefined);
  }
  if (error instanceof InvitationExpiredError) {
    return show(410, t.invitationExpiredTitle, t.invitationExpiredText, undefined);
  }
  if (error instanceof InvitationRevokedError) {
    return show(410, t.invitationRevokedTitle, t.invitationRevokedText, undefined);
  }
  if (error instanceof InvitationUsedError) return show(409, t.invitationUsedTitle, t.invitationUsedText, undefined);
  if (error instanceof NoOpenWaveError) return show(409, t.notCollectingTitle, t.notCollectingText, undefined);
  if (error instanceof SubmissionConflictError) {
    return show(409, t.alreadySubmittedTitle, t.alreadySubmittedText, undefined);
  }
  if (error instanceof StorageBusyError) {
    return show(503, t.busyTitle, t.busyText, restart, { 'Retry-After': String(error.retryAfterSeconds) });
  }
  if (error instanceof HTTPException && error.status === 413) return show(413, t.tooLargeTitle, t.tooLargeText);
  if (error instanceof HTTPException && error.status === 404) {
    return show(404, t.notFoundTitle, t.notFoundText, undefined);
  }
  if (error instanceof HTTPException && error.status < 500) return show(error.status, t.invalidTitle, t.invalidText);
  logger.error('page failed', { path: c.req.routePath, error: error instanceof Error ? error.name : 'unknown' });
  return show(500, t.failedTitle, t.failedText);
}
