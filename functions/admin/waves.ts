import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import * as z from 'zod';
import { Code, Text } from '../../shared/survey/schema.js';
import { closeWave, listWaves, openWave, scheduleWave } from '../../shared/waves/manage.js';
import type { AuthEnv } from '../lib/authenticate.js';
import { Problem } from '../lib/problem-schema.js';
import { validationHook } from '../lib/validation.js';
import type { AdminDeps } from './deps.js';
import { adminSurveyOf } from './route-kit.js';

const problems = {
  401: { description: 'No valid bearer token', content: { 'application/problem+json': { schema: Problem } } },
  403: { description: 'Not an admin of this campaign', content: { 'application/problem+json': { schema: Problem } } },
  404: { description: 'No such survey or wave', content: { 'application/problem+json': { schema: Problem } } },
};
const WaveView = z
  .object({
    id: Code,
    label: Text,
    kind: z.enum(['baseline', 'followup']),
    state: z.enum(['scheduled', 'open', 'closed']),
    opensAt: z.string().optional(),
    closesAt: z.string().optional(),
    collectingNow: z.boolean(),
  })
  .meta({ id: 'WaveView' });
const WaveList = z.object({ waves: z.array(WaveView) }).meta({ id: 'WaveList' });
const SurveyParams = z.object({ surveyId: Code });
const WaveParams = SurveyParams.extend({ waveId: Code });
const Schedule = z
  .strictObject({
    opensAt: z.iso.datetime({ offset: true }).optional(),
    closesAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((w) => w.opensAt !== undefined || w.closesAt !== undefined, { message: 'give opensAt, closesAt or both' })
  .refine((w) => !w.opensAt || !w.closesAt || Date.parse(w.opensAt) < Date.parse(w.closesAt), {
    message: 'closesAt must be after opensAt',
    path: ['closesAt'],
  })
  .meta({ id: 'WaveSchedule' });

const ok = {
  200: { description: 'The waves after the change', content: { 'application/json': { schema: WaveList } } },
};
const security = [{ bearer: [] }];

const list = createRoute({
  method: 'get',
  path: '/api/v1/admin/surveys/{surveyId}/waves',
  tags: ['admin'],
  summary: 'Waves of a survey with state and window',
  security,
  request: { params: SurveyParams },
  responses: { ...ok, ...problems },
});
const open = createRoute({
  method: 'post',
  path: '/api/v1/admin/surveys/{surveyId}/waves/{waveId}/open',
  tags: ['admin'],
  summary: 'Open a wave now (other open waves close)',
  security,
  request: { params: WaveParams },
  responses: { ...ok, ...problems },
});
const close = createRoute({
  method: 'post',
  path: '/api/v1/admin/surveys/{surveyId}/waves/{waveId}/close',
  tags: ['admin'],
  summary: 'Close a wave',
  security,
  request: { params: WaveParams },
  responses: { ...ok, ...problems },
});
const schedule = createRoute({
  method: 'put',
  path: '/api/v1/admin/surveys/{surveyId}/waves/{waveId}/schedule',
  tags: ['admin'],
  summary: 'Collect between opensAt and closesAt (ISO timestamps with offset)',
  security,
  request: { params: WaveParams, body: { required: true, content: { 'application/json': { schema: Schedule } } } },
  responses: {
    ...ok,
    ...problems,
    400: { description: 'Invalid window', content: { 'application/problem+json': { schema: Problem } } },
    409: {
      description: 'Overlaps another open or scheduled wave',
      content: { 'application/problem+json': { schema: Problem } },
    },
  },
});

/** Wave administration: validate, check the admin role for the survey's campaign, call the domain. */
export function waveRoutes(deps: AdminDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  const adminSurvey = adminSurveyOf(deps);

  app.openapi(list, async (c) => {
    const definition = await adminSurvey(c.var.claims, c.req.valid('param').surveyId);
    return c.json({ waves: await listWaves(deps.db, definition, deps.now()) }, 200);
  });
  app.openapi(open, async (c) => {
    const { surveyId, waveId } = c.req.valid('param');
    const definition = await adminSurvey(c.var.claims, surveyId);
    const waves = await openWave(deps.db, deps.catalog, definition, waveId, deps.now());
    deps.logger.info('wave opened', { surveyId, waveId, by: c.var.claims.sub });
    return c.json({ waves }, 200);
  });
  app.openapi(close, async (c) => {
    const { surveyId, waveId } = c.req.valid('param');
    const definition = await adminSurvey(c.var.claims, surveyId);
    const waves = await closeWave(deps.db, deps.catalog, definition, waveId, deps.now());
    deps.logger.info('wave closed', { surveyId, waveId, by: c.var.claims.sub });
    return c.json({ waves }, 200);
  });
  app.openapi(schedule, async (c) => {
    const { surveyId, waveId } = c.req.valid('param');
    const definition = await adminSurvey(c.var.claims, surveyId);
    const waves = await scheduleWave(deps.db, deps.catalog, definition, waveId, c.req.valid('json'), deps.now());
    deps.logger.info('wave scheduled', { surveyId, waveId, by: c.var.claims.sub });
    return c.json({ waves }, 200);
  });
  return app;
}
