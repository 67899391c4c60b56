import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import * as z from 'zod';
import { ExportRecord, listExportRecords } from '../../shared/data/export-store.js';
import { settleAbandoned } from '../../shared/export/jobs.js';
import { Code } from '../../shared/survey/schema.js';
import type { AuthEnv } from '../lib/authenticate.js';
import { validationHook } from '../lib/validation.js';
import type { AdminDeps } from './deps.js';
import { adminSurveyOf, problemEntry } from './route-kit.js';

const ExportList = z.object({ exports: z.array(ExportRecord) }).meta({ id: 'ExportRecordList' });

const list = createRoute({
  method: 'get',
  path: '/api/v1/admin/surveys/{surveyId}/exports',
  tags: ['admin'],
  summary: 'Every export of a survey: who, when, which profile, how many rows (newest first)',
  security: [{ bearer: [] }],
  request: { params: z.object({ surveyId: Code }) },
  responses: {
    200: { description: 'The export records', content: { 'application/json': { schema: ExportList } } },
    401: problemEntry('No valid bearer token'),
    403: problemEntry('Not an admin of this campaign'),
    404: problemEntry('No such survey'),
  },
});

/** The accountability side of exports: admins see the records, never the files. */
export function exportRecordRoutes(deps: AdminDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  const adminSurvey = adminSurveyOf(deps);
  app.openapi(list, async (c) => {
    const definition = await adminSurvey(c.var.claims, c.req.valid('param').surveyId);
    const now = deps.now();
    const records = await listExportRecords(deps.db, definition.id);
    return c.json({ exports: await Promise.all(records.map((r) => settleAbandoned(deps.db, r, now))) }, 200);
  });
  return app;
}
