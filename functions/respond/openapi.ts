import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import * as z from 'zod';
import * as zm from 'zod/mini';
import { SubmitRequest, SubmitResult } from '../../shared/response/schema.js';
import { Code, SurveyDefinition, Wave } from '../../shared/survey/schema.js';
import '../lib/openapi-mini.js';
import { Problem } from '../lib/problem-schema.js';

/*
 * The respondent API's OpenAPI document. It is served by the report function (see
 * functions/routes.ts), not by the respondent function: @hono/zod-openapi pulls all of zod (with its
 * error messages in every language) into a bundle, and the respondent function is the one that
 * cold-starts in front of the public (docs/benchmarks.md, "Lambda bundles"). The routes themselves
 * validate with the same schemas (functions/respond/api.ts); test/respond/api.test.ts checks that
 * the document and the routes agree.
 */

const problemContent = { 'application/problem+json': { schema: Problem } };
const SurveyParams = z.object({
  // Code is zod/mini (shared with the respondent function): a copy registered with the metadata,
  // which is what `zod`'s `meta(data)` does.
  surveyId: Code.clone().register(z.globalRegistry, {
    param: { name: 'surveyId', in: 'path' },
    example: 'handwerk-recklinghausen',
  }),
});

const PublicSurvey = z
  .object({ definition: SurveyDefinition, wave: zm.pick(Wave, { id: true, label: true, kind: true }) })
  .meta({ id: 'PublicSurvey', description: 'The definition respondents answer in the open wave' });

// Route schemas are `zod` types: the same objects, field for field, around the zod/mini fields.
const SubmitRequestDoc = z.strictObject(SubmitRequest.shape).meta({ id: 'SubmitRequest' });
const SubmitResultObject = z.strictObject(SubmitResult.shape);
const SubmitResultDoc = SubmitResultObject.meta({ id: 'SubmitResult' });

export const getSurvey = createRoute({
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

export const postResponse = createRoute({
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
    body: { required: true, content: { 'application/json': { schema: SubmitRequestDoc } } },
  },
  responses: {
    201: {
      description: 'Stored',
      content: { 'application/json': { schema: SubmitResultDoc } },
    },
    200: {
      description: 'Already stored earlier (a retry)',
      content: { 'application/json': { schema: SubmitResultObject } },
    },
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

/** The document of the respondent routes, at `/api/v1/openapi.json`; its reference page at `/api/v1/docs`. */
export const RESPOND_DOC_CONFIG = {
  openapi: '3.1.0',
  info: {
    title: 'Resonanz API',
    version: '1.0.0',
    description: 'Perception surveys for public campaigns: respondent routes (public).',
  },
} as const;

export function respondOpenApiDocument(): unknown {
  const doc = new OpenAPIHono();
  doc.openAPIRegistry.registerPath(getSurvey);
  doc.openAPIRegistry.registerPath(postResponse);
  return doc.getOpenAPI31Document(RESPOND_DOC_CONFIG);
}
