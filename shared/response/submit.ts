import { contributionOf } from '../aggregate/contribution.js';
import type { Catalog } from '../data/catalog.js';
import { type RetryPolicy, type SaveOutcome, saveResponse } from '../data/response-store.js';
import type { Db } from '../data/table.js';
import { AudienceNotFoundError, InvalidSubmissionError, NoOpenWaveError } from '../errors.js';
import { checkAnswers } from '../survey/answers.js';
import { buildResponse } from './build.js';
import type { SubmitRequest } from './schema.js';

export interface SubmitDeps {
  db: Db;
  catalog: Catalog;
  now: () => Date;
  retry?: RetryPolicy;
}

/**
 * The whole write path of a respondent: check against the open wave's definition, build the
 * stored response, store it with its aggregate contribution exactly once.
 */
export async function submit(deps: SubmitDeps, surveyId: string, request: SubmitRequest): Promise<SaveOutcome> {
  const definition = await deps.catalog.definition(surveyId);
  const spec = definition.audiences[request.audience];
  if (!spec) throw new AudienceNotFoundError(surveyId, request.audience);
  const now = deps.now();
  const wave = await deps.catalog.openWave(surveyId, now);
  if (!wave) throw new NoOpenWaveError(surveyId);
  const checked = checkAnswers(spec, request.answers);
  if (!checked.ok) {
    throw new InvalidSubmissionError(checked.issues.map((i) => ({ ...i, field: `answers.${i.field}` })));
  }
  const response = buildResponse({
    definition,
    audience: request.audience,
    waveId: wave.waveId,
    submissionId: request.submissionId,
    channel: request.channel,
    locale: request.locale,
    answers: checked.answers,
    now,
  });
  return saveResponse(
    deps.db,
    response,
    contributionOf(definition, response),
    definition.settings.aggregateShards,
    deps.retry,
  );
}
