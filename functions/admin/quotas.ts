import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import * as z from 'zod';
import { quotaRow } from '../../shared/fieldwork/report.js';
import { listQuotaProgress, removeQuota, setQuota } from '../../shared/quotas/manage.js';
import type { QuotaProgress } from '../../shared/quotas/progress.js';
import { parseQuotaId, Quota, type QuotaGroup, QuotaSettings } from '../../shared/quotas/schema.js';
import { Code } from '../../shared/survey/schema.js';
import type { AuthEnv } from '../lib/authenticate.js';
import { validationHook } from '../lib/validation.js';
import type { AdminDeps } from './deps.js';
import { adminSurveyOf, problemEntry } from './route-kit.js';

const problems = {
  401: problemEntry('No valid bearer token'),
  403: problemEntry('Not an admin of this campaign'),
  404: problemEntry('No such survey or quota'),
};
// The shared schemas are zod/mini: route schemas are `zod` objects around their fields.
export const QuotaView = z
  .strictObject({
    ...Quota.shape,
    id: z.string().meta({ description: '`wave.audience` or `wave.audience.city`' }),
    responses: z.number().int().nullable().meta({
      description:
        'responses of the group so far; null where the disclosure gate hides it (fewer than minCellSize, or hidden so that such a group cannot be worked out)',
    }),
    met: z.boolean().nullable().meta({
      description: 'null where the count is hidden (it would tell the count reached the target)',
    }),
  })
  .meta({ id: 'QuotaView' });
const QuotaList = z.object({ quotas: z.array(QuotaView) }).meta({ id: 'QuotaList' });
const SurveyParams = z.object({ surveyId: Code });
const QuotaParams = SurveyParams.extend({
  quotaId: z
    .string()
    .refine((id) => parseQuotaId(id) !== undefined, { message: 'use wave.audience or wave.audience.city' })
    .meta({ example: 'w1-followup.public.marl' }),
});
const security = [{ bearer: [] }];

/** How admins and leads see a quota: its count through the disclosure gate, like fieldwork. */
export function quotaView(progress: QuotaProgress & { hidden: boolean }): z.infer<typeof QuotaView> {
  return { ...quotaRow(progress, progress.hidden), setOn: progress.quota.setOn };
}

const list = createRoute({
  method: 'get',
  path: '/api/v1/admin/surveys/{surveyId}/quotas',
  tags: ['admin'],
  summary: 'Quotas of a survey with their progress',
  security,
  request: { params: SurveyParams },
  responses: {
    200: { description: 'The quotas', content: { 'application/json': { schema: QuotaList } } },
    ...problems,
  },
});
const put = createRoute({
  method: 'put',
  path: '/api/v1/admin/surveys/{surveyId}/quotas/{quotaId}',
  tags: ['admin'],
  summary: 'Set the quota of a wave x audience (x city) group',
  description:
    '`whenMet: close` (default) thanks newcomers of a full group on the public links and stores nothing; `keep` goes on collecting. Personal invitations are never screened.',
  security,
  request: {
    params: QuotaParams,
    body: { required: true, content: { 'application/json': { schema: z.strictObject(QuotaSettings.shape) } } },
  },
  responses: {
    200: { description: 'The quota as set', content: { 'application/json': { schema: QuotaView } } },
    ...problems,
    400: problemEntry('Invalid quota (unknown wave, audience or city, bad target)'),
  },
});
const remove = createRoute({
  method: 'delete',
  path: '/api/v1/admin/surveys/{surveyId}/quotas/{quotaId}',
  tags: ['admin'],
  summary: 'Remove a quota (the group collects without a target again)',
  security,
  request: { params: QuotaParams },
  responses: { 204: { description: 'Removed' }, ...problems },
});

/** Quota administration: validate, check the admin role for the survey's campaign, call the domain. */
export function quotaRoutes(deps: AdminDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  const adminSurvey = adminSurveyOf(deps);
  const groupOf = (id: string) => parseQuotaId(id) as QuotaGroup; // the params schema has checked it

  app.openapi(list, async (c) => {
    const definition = await adminSurvey(c.var.claims, c.req.valid('param').surveyId);
    const progress = await listQuotaProgress(deps.db, definition);
    return c.json({ quotas: progress.map((p) => quotaView(p)) }, 200);
  });
  app.openapi(put, async (c) => {
    const { surveyId, quotaId } = c.req.valid('param');
    const definition = await adminSurvey(c.var.claims, surveyId);
    await setQuota(deps.db, deps.catalog, definition, groupOf(quotaId), c.req.valid('json'), deps.now());
    deps.logger.info('quota set', { surveyId, quotaId, by: c.var.claims.sub });
    const progress = (await listQuotaProgress(deps.db, definition)).find((p) => p.id === quotaId);
    if (!progress) throw new Error(`quota ${quotaId} vanished after it was set`);
    return c.json(quotaView(progress), 200);
  });
  app.openapi(remove, async (c) => {
    const { surveyId, quotaId } = c.req.valid('param');
    const definition = await adminSurvey(c.var.claims, surveyId);
    await removeQuota(deps.db, deps.catalog, definition, groupOf(quotaId));
    deps.logger.info('quota removed', { surveyId, quotaId, by: c.var.claims.sub });
    return c.body(null, 204);
  });
  return app;
}
