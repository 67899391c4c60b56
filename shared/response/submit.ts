import { contributionOf } from '../aggregate/contribution.js';
import { activeChannelCodes } from '../channels/resolve.js';
import type { Catalog } from '../data/catalog.js';
import { invitationConsumeItems } from '../data/invitation-store.js';
import { getResponse, type RetryPolicy, type SaveOutcome, saveResponse } from '../data/response-store.js';
import type { Db } from '../data/table.js';
import {
  AudienceNotFoundError,
  type FieldIssue,
  InvalidSubmissionError,
  NoOpenWaveError,
  QuotaMetError,
} from '../errors.js';
import { cityAnswerOf, closedQuotaFor } from '../quotas/progress.js';
import { checkAnswers } from '../survey/answers.js';
import { Audience } from '../survey/primitives.js';
import { type BuildInput, buildResponse, responseIdFor } from './build.js';
import type { SubmitRequest } from './schema.js';

export interface SubmitDeps {
  db: Db;
  catalog: Catalog;
  now: () => Date;
  retry?: RetryPolicy;
}

/**
 * Checks the answers against the audience's questions, builds the stored response and saves it
 * with its aggregate contribution exactly once. `submit` calls it for the open wave; demo data for
 * any wave.
 */
export async function storeResponse(
  db: Db,
  { invitation, ...input }: Omit<BuildInput, 'answers'> & { answers: Record<string, unknown>; invitation?: string },
  retry?: RetryPolicy,
): Promise<SaveOutcome> {
  const spec = input.definition.audiences[input.audience];
  if (!spec) throw new AudienceNotFoundError(input.definition.id, input.audience);
  const checked = checkAnswers(spec, input.answers);
  if (!checked.ok) {
    throw new InvalidSubmissionError(checked.issues.map((i) => ({ ...i, field: `answers.${i.field}` })));
  }
  const response = buildResponse({ ...input, answers: checked.answers });
  const counters = contributionOf(input.definition, response);
  // The invitation is consumed in the response's own transaction; nothing of it reaches the response.
  const guarded =
    invitation === undefined
      ? undefined
      : await invitationConsumeItems(db, input.definition.id, invitation, input.now, input.audience);
  return saveResponse(db, response, counters, input.definition.settings.aggregateShards, retry, guarded);
}

/**
 * The whole write path of a respondent: check against the open wave's definition, build the
 * stored response, store it with its aggregate contribution exactly once.
 */
export async function submit(
  deps: SubmitDeps,
  surveyId: string,
  request: SubmitRequest,
  /** The plain token of a personal invitation (`/i/{token}`): used up by this submission. */
  invitation: string | undefined = request.invitation,
  /**
   * Refuse a public-link submission whose group has met a closing quota (the JSON API, where the
   * whole response arrives at once). The page flow screens at the city question instead, so a
   * respondent already past it is not turned away at the end.
   */
  options: { screenQuotas?: boolean } = {},
): Promise<SaveOutcome> {
  const definition = await deps.catalog.definition(surveyId);
  const spec = definition.audiences[request.audience];
  if (!spec) throw new AudienceNotFoundError(surveyId, request.audience);
  const now = deps.now();
  const wave = await deps.catalog.openWave(surveyId, now);
  if (!wave) throw new NoOpenWaveError(surveyId);
  if (options.screenQuotas && invitation === undefined) {
    const closed = closedQuotaFor(await deps.catalog.quotas(surveyId, wave.waveId), {
      waveId: wave.waveId,
      audience: request.audience,
      city: cityAnswerOf(spec, request.answers),
    });
    // The retry of a submission stored before the group closed is replayed (thanked), not refused.
    if (closed && !(await getResponse(deps.db, surveyId, responseIdFor(surveyId, request.submissionId)))) {
      throw new QuotaMetError(surveyId, closed.id);
    }
  }
  const activeChannels = activeChannelCodes(definition, await deps.catalog.channels(surveyId));
  return storeResponse(
    deps.db,
    {
      definition,
      audience: request.audience,
      waveId: wave.waveId,
      submissionId: request.submissionId,
      channel: request.channel,
      activeChannels,
      locale: request.locale,
      answers: request.answers,
      now,
      invitation,
    },
    deps.retry,
  );
}

/**
 * The answer problems of a body whose envelope is invalid, so one 400 can list every field: checked
 * when its audience and answers are usable, otherwise none (the envelope problems say enough).
 */
export async function answerIssuesOf(
  deps: Pick<SubmitDeps, 'catalog'>,
  surveyId: string,
  body: unknown,
): Promise<FieldIssue[]> {
  if (typeof body !== 'object' || body === null) return [];
  const { audience, answers } = body as { audience?: unknown; answers?: unknown };
  const parsedAudience = Audience.safeParse(audience);
  if (!parsedAudience.success || typeof answers !== 'object' || answers === null || Array.isArray(answers)) return [];
  const definition = await deps.catalog.definition(surveyId).catch(() => undefined);
  const spec = definition?.audiences[parsedAudience.data];
  if (!spec) return [];
  const checked = checkAnswers(spec, answers as Record<string, unknown>);
  return checked.ok ? [] : checked.issues.map((i) => ({ ...i, field: `answers.${i.field}` }));
}
