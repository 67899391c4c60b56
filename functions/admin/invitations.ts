import { randomBytes } from 'node:crypto';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { accepts } from 'hono/accepts';
import * as z from 'zod';
import {
  batchStats,
  InvitedAudience,
  listBatches,
  MAX_BATCH_SIZE,
  revoke,
} from '../../shared/data/invitation-store.js';
import { InvalidQueryError } from '../../shared/errors.js';
import { mergeCsv } from '../../shared/invitations/csv.js';
import { issueInvitations } from '../../shared/invitations/issue.js';
import { Code } from '../../shared/survey/schema.js';
import type { AuthEnv } from '../lib/authenticate.js';
import { validationHook } from '../lib/validation.js';
import type { AdminDeps } from './deps.js';
import { adminSurveyOf, problemEntry, publicBaseOf } from './route-kit.js';

const problems = {
  401: problemEntry('No valid bearer token'),
  403: problemEntry('Not an admin of this campaign'),
  404: problemEntry('No such survey, audience or batch'),
};
const BatchView = z
  .object({
    batchId: z.string(),
    audience: InvitedAudience,
    createdOn: z.iso.date(),
    expiresOn: z.iso.date().optional(),
    issued: z.number().int(),
    used: z.number().int(),
    revoked: z.number().int(),
    expired: z.number().int(),
    open: z.number().int(),
  })
  .meta({ id: 'InvitationBatch', description: 'Response rate of a batch; never which token was used' });
const SurveyParams = z.object({ surveyId: Code });
const BatchParams = SurveyParams.extend({ batchId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
const CreateBatch = z
  .strictObject({
    audience: InvitedAudience,
    count: z.number().int().min(1).max(MAX_BATCH_SIZE),
    expiresOn: z.iso.date().optional().meta({ description: 'Last day (UTC) the links work; today or later' }),
  })
  .meta({ id: 'InvitationBatchCreate' });
const CreatedBatch = z
  .object({ batchId: z.string(), links: z.array(z.url()) })
  .meta({ id: 'InvitationBatchCreated', description: 'The personal links, shown this once and never stored' });

const security = [{ bearer: [] }];
const path = '/api/v1/admin/surveys/{surveyId}/invitations';

const create = createRoute({
  method: 'post',
  path,
  tags: ['admin'],
  summary: 'Issue a batch of single-use personal links (returned once, not stored in plain form)',
  security,
  request: { params: SurveyParams, body: { required: true, content: { 'application/json': { schema: CreateBatch } } } },
  responses: {
    201: {
      description:
        'The batch and its links; with Accept: text/csv the mail-merge file (a `link` column, one row per link)',
      content: {
        'application/json': { schema: CreatedBatch },
        'text/csv': { schema: z.string().meta({ description: 'RFC 4180, UTF-8' }) },
      },
    },
    400: problemEntry('Invalid body, or an expiry date that has passed'),
    ...problems,
  },
});
const list = createRoute({
  method: 'get',
  path,
  tags: ['admin'],
  summary: 'Invitation batches of a survey with their response rate',
  security,
  request: { params: SurveyParams },
  responses: {
    200: {
      description: 'Every batch',
      content: { 'application/json': { schema: z.object({ batches: z.array(BatchView) }) } },
    },
    ...problems,
  },
});
const revokeBatch = createRoute({
  method: 'post',
  path: `${path}/{batchId}/revoke`,
  tags: ['admin'],
  summary: 'Withdraw every unused link of a batch',
  security,
  request: { params: BatchParams },
  responses: {
    200: { description: 'The batch after revoking', content: { 'application/json': { schema: BatchView } } },
    ...problems,
  },
});

/**
 * Invitation batches: validate, check the admin role for the survey's campaign, call the domain.
 * Links carry plain tokens, so they go into the response body only, never into a log line.
 */
export function invitationRoutes(deps: AdminDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  const adminSurvey = adminSurveyOf(deps);

  app.openapi(create, async (c) => {
    const { surveyId } = c.req.valid('param');
    const definition = await adminSurvey(c.var.claims, surveyId);
    const body = c.req.valid('json');
    const today = deps.now().toISOString().slice(0, 10);
    if (body.expiresOn !== undefined && body.expiresOn < today) {
      throw new InvalidQueryError([
        {
          field: 'expiresOn',
          code: 'past',
          message: `${body.expiresOn} has passed: links must work at least until today (${today})`,
        },
      ]);
    }
    const baseUrl = publicBaseOf(deps)(c);
    const created = await issueInvitations(deps.db, definition, baseUrl, { ...body, now: deps.now(), randomBytes });
    deps.logger.info('invitations issued', {
      surveyId,
      batchId: created.batchId,
      audience: body.audience,
      count: body.count,
      by: c.var.claims.sub,
    });
    c.header('Cache-Control', 'no-store');
    const type = accepts(c, {
      header: 'Accept',
      supports: ['application/json', 'text/csv'],
      default: 'application/json',
    });
    if (type === 'text/csv') {
      // The console's download: the links once, as the file a mail merge reads.
      return c.body(mergeCsv(undefined, created.links.length, created.links), 201, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="invitations-${surveyId}-${created.batchId.slice(0, 8)}.csv"`,
      });
    }
    return c.json(created, 201);
  });
  app.openapi(list, async (c) => {
    const { surveyId } = c.req.valid('param');
    await adminSurvey(c.var.claims, surveyId);
    return c.json({ batches: await listBatches(deps.db, surveyId, deps.now()) }, 200);
  });
  app.openapi(revokeBatch, async (c) => {
    const { surveyId, batchId } = c.req.valid('param');
    await adminSurvey(c.var.claims, surveyId);
    await revoke(deps.db, surveyId, { batchId });
    deps.logger.info('invitation batch revoked', { surveyId, batchId, by: c.var.claims.sub });
    return c.json(await batchStats(deps.db, surveyId, batchId, deps.now()), 200);
  });
  return app;
}
