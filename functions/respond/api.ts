import { Hono } from 'hono';
import { validator } from 'hono/validator';
import * as z from 'zod/mini';
import '../../shared/zod-locale.js';
import { InvalidSubmissionError, NoOpenWaveError } from '../../shared/errors.js';
import { SubmitRequest } from '../../shared/response/schema.js';
import { answerIssuesOf, submit } from '../../shared/response/submit.js';
import { Code } from '../../shared/survey/primitives.js';
import { problemResponse } from '../lib/problem.js';
import { validationProblem, zodFieldIssues } from '../lib/validation.js';
import type { AppDeps } from './deps.js';

const SurveyParams = z.object({ surveyId: Code });

/** Path parameters checked by the schema; a bad one is a 400 listing the field. */
const params = validator('param', (value, c) => {
  const parsed = SurveyParams.safeParse(value);
  return parsed.success ? parsed.data : problemResponse(c, validationProblem(zodFieldIssues(parsed.error)));
});

/**
 * The public JSON API: the survey's definition in its open wave, and submitting a response. Plain
 * Hono with zod schemas (no @hono/zod-openapi: it would cost the public function's cold start); the
 * OpenAPI document of these routes is `functions/respond/openapi.ts`.
 */
export function surveyApi(deps: AppDeps): Hono {
  const app = new Hono();

  app.get('/api/v1/surveys/:surveyId', params, async (c) => {
    const { surveyId } = c.req.valid('param');
    const definition = await deps.catalog.definition(surveyId);
    const open = await deps.catalog.openWave(surveyId, deps.now());
    const wave = definition.waves.find((w) => w.id === open?.waveId);
    if (!wave) throw new NoOpenWaveError(surveyId);
    return c.json({ definition, wave: { id: wave.id, label: wave.label, kind: wave.kind } }, 200);
  });

  app.post(
    '/api/v1/surveys/:surveyId/responses',
    params,
    // An invalid envelope still gets its answers checked, so one 400 lists every field.
    validator('json', async (value, c) => {
      const parsed = SubmitRequest.safeParse(value);
      if (parsed.success) return parsed.data;
      throw new InvalidSubmissionError([
        ...zodFieldIssues(parsed.error),
        ...(await answerIssuesOf(deps, c.req.param('surveyId') ?? '', value)),
      ]);
    }),
    async (c) => {
      const { surveyId } = c.req.valid('param');
      const body = c.req.valid('json');
      const outcome = await submit(deps, surveyId, body, body.invitation, { screenQuotas: true });
      // No audience or answers: a log line's timestamp must not narrow down who answered what.
      deps.logger.info('response stored', { surveyId, status: outcome.status });
      const result = { responseId: outcome.response.responseId, wave: outcome.response.waveId };
      return c.json(result, outcome.status === 'created' ? 201 : 200);
    },
  );

  return app;
}
