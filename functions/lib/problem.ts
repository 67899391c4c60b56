import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isTransientStorageError } from '../../shared/data/transient.js';
import {
  AggregateShardsChangedError,
  AudienceNotFoundError,
  ChannelExistsError,
  ChannelNotFoundError,
  DefinitionVersionConflictError,
  EarlierVersionError,
  ExportDispatchError,
  ExportNotFoundError,
  ExportNotReadyError,
  ExportProfileError,
  type FieldIssue,
  ForbiddenError,
  InvalidChannelError,
  InvalidQueryError,
  InvalidQuotaError,
  InvalidSubmissionError,
  InvitationAudienceMismatchError,
  InvitationExpiredError,
  InvitationNotFoundError,
  InvitationRevokedError,
  InvitationTokenMalformedError,
  InvitationUsedError,
  NoOpenWaveError,
  QuotaMetError,
  QuotaNotFoundError,
  ResonanzError,
  StorageBusyError,
  SubmissionConflictError,
  SurveyChangedMeanwhileError,
  SurveyFileInvalidError,
  SurveyNotFoundError,
  UnauthorizedError,
  WaveNotFoundError,
  WaveScheduleError,
} from '../../shared/errors.js';
import type { Logger } from './logger.js';
import type { Problem } from './problem-schema.js';

export type { Problem };

const TYPE_BASE = 'https://resonanz.dev/problems/';

export function problem(status: number, slug: string, title: string, detail?: string, errors?: FieldIssue[]): Problem {
  return { type: `${TYPE_BASE}${slug}`, title, status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) };
}

/** Publishing refused by the publish rules: each says what to change in the file. */
function publishProblem(error: unknown): Problem | undefined {
  if (error instanceof SurveyFileInvalidError) {
    const problems = error.issues.map(({ path, message, line }) => ({ path, message, ...(line ? { line } : {}) }));
    return { ...problem(400, 'survey-file-invalid', 'The survey file is not valid', error.message), problems };
  }
  if (error instanceof DefinitionVersionConflictError) {
    return problem(409, 'version-conflict', 'This version is published with other content', error.message);
  }
  if (error instanceof AggregateShardsChangedError) {
    return problem(409, 'shards-changed', 'settings.aggregateShards cannot change', error.message);
  }
  if (error instanceof EarlierVersionError) {
    return problem(409, 'earlier-version', 'A later version is current', error.message);
  }
  if (error instanceof SurveyChangedMeanwhileError) {
    return problem(409, 'changed-meanwhile', 'Published by someone else meanwhile', error.message);
  }
  return undefined;
}

/** The one place where domain errors become HTTP statuses. */
export function problemFor(error: unknown): { problem: Problem; headers?: Record<string, string> } {
  const publish = publishProblem(error);
  if (publish) return { problem: publish };
  if (
    error instanceof InvalidSubmissionError ||
    error instanceof InvalidChannelError ||
    error instanceof InvalidQuotaError ||
    error instanceof InvalidQueryError ||
    error instanceof ExportProfileError
  ) {
    return {
      problem: problem(
        400,
        'validation',
        'The request is not valid',
        `${error.issues.length} invalid field(s)`,
        error.issues,
      ),
    };
  }
  if (error instanceof ChannelExistsError) {
    return { problem: problem(409, 'channel-exists', 'Channel code already used', error.message) };
  }
  if (error instanceof ChannelNotFoundError) {
    return { problem: problem(404, 'not-found', 'Not found', error.message) };
  }
  if (error instanceof WaveScheduleError) {
    return { problem: problem(409, 'wave-schedule', 'The wave cannot be scheduled so', error.message) };
  }
  if (
    error instanceof SurveyNotFoundError ||
    error instanceof AudienceNotFoundError ||
    error instanceof WaveNotFoundError ||
    error instanceof QuotaNotFoundError ||
    error instanceof ExportNotFoundError
  ) {
    return { problem: problem(404, 'not-found', 'Not found', error.message) };
  }
  if (error instanceof ExportNotReadyError) {
    return { problem: problem(409, 'export-not-ready', 'The export is not ready', error.message) };
  }
  if (error instanceof ExportDispatchError) {
    return {
      problem: problem(503, 'export-not-started', 'The export could not be started', error.message),
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
    };
  }
  if (error instanceof NoOpenWaveError) {
    return { problem: problem(409, 'no-open-wave', 'The survey is not collecting responses', error.message) };
  }
  if (error instanceof QuotaMetError) {
    return { problem: problem(409, 'quota-met', 'This group is complete', error.message) };
  }
  if (error instanceof SubmissionConflictError) {
    return { problem: problem(409, 'submission-conflict', 'Submission id already used', error.message) };
  }
  if (error instanceof InvitationTokenMalformedError || error instanceof InvitationAudienceMismatchError) {
    return { problem: problem(400, 'invitation-invalid', 'The invitation link is not valid', error.message) };
  }
  if (error instanceof InvitationNotFoundError) {
    return { problem: problem(404, 'invitation-not-found', 'Invitation not found', error.message) };
  }
  if (error instanceof InvitationExpiredError || error instanceof InvitationRevokedError) {
    const slug = error instanceof InvitationExpiredError ? 'invitation-expired' : 'invitation-revoked';
    return { problem: problem(410, slug, 'The invitation is no longer valid', error.message) };
  }
  if (error instanceof InvitationUsedError) {
    return { problem: problem(409, 'invitation-used', 'The invitation has already been used', error.message) };
  }
  if (error instanceof UnauthorizedError) {
    // RFC 6750: a 401 names the scheme the client should use.
    return {
      problem: problem(401, 'unauthorized', 'Authentication required', error.message),
      headers: { 'WWW-Authenticate': 'Bearer' },
    };
  }
  if (error instanceof ForbiddenError) {
    return { problem: problem(403, 'forbidden', 'Forbidden', error.message) };
  }
  if (error instanceof StorageBusyError) {
    return {
      problem: problem(503, 'busy', 'Please try again shortly', error.message),
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
    };
  }
  if (isTransientStorageError(error)) {
    // A throttled or timed-out read: nothing was written, trying again shortly will work.
    return {
      problem: problem(503, 'busy', 'Please try again shortly', 'storage is busy, nothing was saved; please retry'),
      headers: { 'Retry-After': '1' },
    };
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    const titles: Record<number, [string, string]> = {
      400: ['bad-request', 'Bad request'],
      401: ['unauthorized', 'Authentication required'],
      403: ['forbidden', 'Forbidden'],
      404: ['not-found', 'Not found'],
      405: ['method-not-allowed', 'Method not allowed'],
      413: ['too-large', 'Request body too large'],
      415: ['unsupported-media-type', 'Unsupported media type'],
    };
    const [slug, title] = titles[status] ?? ['http-error', 'Request failed'];
    return { problem: problem(status, slug, title, error.message || undefined) };
  }
  if (error instanceof ResonanzError) {
    return { problem: problem(500, 'internal', 'Internal error', 'The request could not be completed.') };
  }
  return { problem: problem(500, 'internal', 'Internal error', 'The request could not be completed.') };
}

/**
 * A problem names what the request got wrong (an unknown key, say) in the request's own words: `<`,
 * `>` and `&` go out as JSON escapes, so a planted tag never appears as markup in the bytes, whatever
 * a client or a proxy takes the body for. JSON.parse gives back the same text.
 */
function problemJson(p: Problem): string {
  return JSON.stringify(p).replace(/[<>&]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function problemResponse(c: Context, p: Problem, headers: Record<string, string> = {}): Response {
  return c.body(problemJson(p), p.status as 400, {
    ...headers,
    'Content-Type': 'application/problem+json; charset=utf-8',
  });
}

/** `app.notFound` for JSON apps: a 404 problem naming the route that does not exist. */
export function notFoundProblem(c: Context): Response {
  return problemResponse(c, problem(404, 'not-found', 'Not found', `no route for ${c.req.method} ${c.req.path}`));
}

/** `app.onError` for JSON apps: the mapped problem; only 5xx are logged, by route pattern and error name. */
export function errorProblem(logger: Logger) {
  return (error: Error, c: Context): Response => {
    const { problem: p, headers } = problemFor(error);
    if (p.status >= 500) logger.error('request failed', { path: c.req.routePath, error: error.name });
    return problemResponse(c, p, headers);
  };
}
