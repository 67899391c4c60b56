import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { InvalidSubmissionError, NoOpenWaveError } from '../../shared/errors.js';
import { SubmitRequest, SubmitResult } from '../../shared/response/schema.js';
import { answerIssuesOf, submit } from '../../shared/response/submit.js';
import { Code, SurveyDefinition, Wave } from '../../shared/survey/schema.js';
import { Problem } from '../lib/problem.js';
import { validationHook, zodFieldIssues } from '../lib/validation.js';
import type { AppDeps } from './deps.js';

const problemContent = { 'application/problem+json': { schema: Problem } };
const SurveyParams = z.object({
  surveyId: Code.meta({ param: { name: 'surveyId', in: 'path' }, example: 'handwerk-recklinghausen' }),
});

const PublicSurvey = z
  .object({ definition: SurveyDefinition, wave: Wave.pick({ id: true, label: true, kind: true }) })
  .meta({ id: 'PublicSurvey', description: 'The definition respondents answer in the open wave' });

const getSurvey = createRoute({
  method: 'get',
  path: '/api/v1/surveys/{surveyId}',
  tags: ['respondent'],
  summary: 'The public definition of the survey in its open wave',
  request: { params: SurveyParams },
  responses: {
    200: { description: 'Definition and open wave', content: { 'application/json': { schema: PublicSurvey } } },
    404: { description: 'No such survey', content: problemContent },
    409: { description: 'The survey has no open wave', content: problemContent },
  },
});

const postResponse = createRoute({
  method: 'post',
  path: '/api/v1/surveys/{surveyId}/responses',
  tags: ['respondent'],
  summary: 'Submit one completed questionnaire',
  description:
    'Stores the response and its aggregate contribution in one transaction. Sending the same `submissionId` again ' +
    'returns the stored response (200) and counts nothing twice; the same id with different answers is a 409.\n\n' +
    'With `invitation` (the token of a personal link) the submission uses the invitation up in the same ' +
    'transaction; a retry with the same `submissionId` still gets 200. Invitation problems: 409 ' +
    '(`…/invitation-used`) already used for another response, 410 (`…/invitation-expired`, ' +
    '`…/invitation-revoked`) expired or withdrawn, 404 (`…/invitation-not-found`) unknown token, 400 ' +
    '(`…/invitation-invalid`) malformed token or a token for another audience.',
  request: {
    params: SurveyParams,
    body: { required: true, content: { 'application/json': { schema: SubmitRequest.meta({ id: 'SubmitRequest' }) } } },
  },
  responses: {
    201: {
      description: 'Stored',
      content: { 'application/json': { schema: SubmitResult.meta({ id: 'SubmitResult' }) } },
    },
    200: { description: 'Already stored earlier (a retry)', content: { 'application/json': { schema: SubmitResult } } },
    400: {
      description:
        'Invalid submission (`errors` lists every field), or a malformed invitation or one for another audience',
      content: problemContent,
    },
    404: { description: 'No such survey, audience or invitation', content: problemContent },
    409: {
      description:
        'No open wave, submissionId reused with different answers, invitation already used, or the group has met its quota',
      content: problemContent,
    },
    410: { description: 'Invitation expired or revoked', content: problemContent },
    413: { description: 'Body larger than the limit', content: problemContent },
    415: { description: 'Body is not JSON', content: problemContent },
    503: {
      description: 'Storage busy; nothing was stored. Retry after `Retry-After` seconds',
      content: problemContent,
    },
  },
});

export function surveyApi(deps: AppDeps): OpenAPIHono {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(getSurvey, async (c) => {
    const { surveyId } = c.req.valid('param');
    const definition = await deps.catalog.definition(surveyId);
    const open = await deps.catalog.openWave(surveyId, deps.now());
    const wave = definition.waves.find((w) => w.id === open?.waveId);
    if (!wave) throw new NoOpenWaveError(surveyId);
    return c.json({ definition, wave: { id: wave.id, label: wave.label, kind: wave.kind } }, 200);
  });

  app.openapi(
    postResponse,
    async (c) => {
      const { surveyId } = c.req.valid('param');
      const body = c.req.valid('json');
      const outcome = await submit(deps, surveyId, body, body.invitation, { screenQuotas: true });
      // No audience or answers: a log line's timestamp must not narrow down who answered what.
      deps.logger.info('response stored', { surveyId, status: outcome.status });
      const result = { responseId: outcome.response.responseId, wave: outcome.response.waveId };
      return c.json(result, outcome.status === 'created' ? 201 : 200);
    },
    // An invalid envelope still gets its answers checked, so one 400 lists every field.
    (result, c) => {
      if (result.success) return undefined;
      const envelope = zodFieldIssues(result.error);
      const answers = async (): Promise<never> => {
        const raw: unknown = result.target === 'json' ? await c.req.json().catch(() => undefined) : undefined;
        throw new InvalidSubmissionError([
          ...envelope,
          ...(await answerIssuesOf(deps, c.req.param('surveyId') ?? '', raw)),
        ]);
      };
      return answers();
    },
  );

  return app;
}
