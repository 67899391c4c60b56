import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import * as z from 'zod';
import { ExportRecord, getExportRecord } from '../../shared/data/export-store.js';
import { ExportDispatchError, ExportNotFoundError, ExportNotReadyError } from '../../shared/errors.js';
import { exportContentType, failExport, recordExport, settleAbandoned } from '../../shared/export/jobs.js';
import { exportProfile } from '../../shared/export/profile.js';
import { Code } from '../../shared/survey/schema.js';
import { problemEntry } from '../admin/route-kit.js';
import { requireRole } from '../lib/auth.js';
import type { AuthEnv } from '../lib/authenticate.js';
import { validationHook } from '../lib/validation.js';
import type { ExportDeps } from './deps.js';

const ExportSettings = z
  .object({
    format: z.enum(['csv', 'csv-excel', 'jsonl']).default('csv'),
    k: z.number().int().min(2).max(100).optional().meta({
      description:
        "default and least: the survey's settings.export.k, else 5 (a lower k is refused: the survey file sets the floor)",
    }),
    period: z.enum(['week', 'wave']).optional().meta({
      description: "default: the survey's settings.export.period, else week; week only where the survey allows it",
    }),
    freeText: z
      .enum(['exclude', 'scrub'])
      .optional()
      .meta({ description: "default: the survey's settings.export.freeText, else exclude" }),
    lang: z.enum(['de', 'en']).default('de'),
  })
  .strict()
  .meta({ id: 'ExportSettings' });
const Record = ExportRecord.extend({
  links: z.object({ self: z.string(), files: z.array(z.string()) }),
}).meta({ id: 'ExportRecord' });
const DownloadLink = z.object({ url: z.url(), expiresAt: z.iso.datetime() }).meta({ id: 'ExportDownloadLink' });
const SurveyParams = z.object({ surveyId: Code });
const ExportParams = SurveyParams.extend({ exportId: z.uuid() });
const FileParams = ExportParams.extend({ name: z.string().regex(/^[a-z][a-z0-9.-]*$/i) });
const security = [{ bearer: [] }];
const problems = {
  401: problemEntry('No valid bearer token'),
  403: problemEntry('Not an evaluator of this campaign'),
  404: problemEntry('No such survey, export or file'),
};

const start = createRoute({
  method: 'post',
  path: '/api/v1/surveys/{surveyId}/exports',
  tags: ['evaluator'],
  summary: 'Start an anonymised export of the microdata',
  description:
    'Writes the data (CSV, Excel CSV or JSON Lines), codebook, disclosure report and, beside the CSV, SPSS syntax and R script, anonymised as described in docs/export.md. Poll the returned record until `status` is `done`, then download its files.',
  security,
  request: {
    params: SurveyParams,
    body: { required: false, content: { 'application/json': { schema: ExportSettings } } },
  },
  responses: {
    202: { description: 'The export is being written', content: { 'application/json': { schema: Record } } },
    ...problems,
    400: problemEntry('Invalid settings, or less protection than the survey file sets (a lower k)'),
    503: problemEntry('The export could not be started; nothing was written, please retry'),
  },
});
const status = createRoute({
  method: 'get',
  path: '/api/v1/surveys/{surveyId}/exports/{exportId}',
  tags: ['evaluator'],
  summary: 'The status of an export, and its files once done',
  security,
  request: { params: ExportParams },
  responses: {
    200: { description: 'The export record', content: { 'application/json': { schema: Record } } },
    ...problems,
  },
});
const download = createRoute({
  method: 'get',
  path: '/api/v1/surveys/{surveyId}/exports/{exportId}/files/{name}',
  tags: ['evaluator'],
  summary: 'Download one file of a finished export',
  security,
  request: {
    params: FileParams,
    query: z.object({
      as: z.enum(['link']).optional().meta({
        description: 'In AWS: answer 200 with the presigned link as JSON instead of a 303 (what the console follows)',
      }),
    }),
  },
  responses: {
    200: {
      description:
        'The file, streamed; in AWS with ?as=link, its presigned link as JSON instead (what the console follows)',
      content: { 'application/octet-stream': { schema: z.string() }, 'application/json': { schema: DownloadLink } },
    },
    303: {
      description: 'In AWS: the file is fetched from the `Location`, a presigned link that lives at most 15 minutes',
      content: { 'application/json': { schema: DownloadLink } },
    },
    ...problems,
    409: problemEntry('The export is still running, or failed'),
  },
});

/** Exports for evaluators of the survey's campaign: leads and admins see aggregates, never microdata. */
export function exportRoutes(deps: ExportDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  const evaluatorSurvey = async (claims: Parameters<typeof requireRole>[0], surveyId: string) => {
    const definition = await deps.catalog.definition(surveyId);
    requireRole(claims, 'evaluator', definition.campaign.id);
    return definition;
  };
  const view = (base: string, record: ExportRecord) => ({
    ...record,
    links: {
      self: `${base}/${record.exportId}`,
      files: record.status === 'done' ? (record.files ?? []).map((f) => `${base}/${record.exportId}/files/${f}`) : [],
    },
  });

  app.openapi(start, async (c) => {
    const { surveyId } = c.req.valid('param');
    const definition = await evaluatorSurvey(c.var.claims, surveyId);
    const { format, k, period, freeText, lang } = ExportSettings.parse(c.req.valid('json') ?? {});
    const { base: _base, ...chosen } = exportProfile(definition, { k, period, freeText });
    const profile = { ...chosen, lang };
    const record = await recordExport(deps.db, {
      surveyId,
      settings: { format, profile },
      requestedBy: c.var.claims.sub,
      now: deps.now,
    });
    try {
      await deps.dispatch({ surveyId, exportId: record.exportId });
    } catch (error) {
      await failExport(deps.db, record, error, deps.now());
      deps.logger.error('export not started', {
        surveyId,
        exportId: record.exportId,
        error: error instanceof Error ? error.name : 'unknown',
      });
      throw new ExportDispatchError(record.exportId, { cause: error });
    }
    deps.logger.info('export started', { surveyId, exportId: record.exportId, by: c.var.claims.sub, format });
    const base = `/api/v1/surveys/${surveyId}/exports`;
    return c.json(view(base, record), 202, { Location: `${base}/${record.exportId}` });
  });

  app.openapi(status, async (c) => {
    const { surveyId, exportId } = c.req.valid('param');
    await evaluatorSurvey(c.var.claims, surveyId);
    const record = await settleAbandoned(deps.db, await getExportRecord(deps.db, surveyId, exportId), deps.now());
    return c.json(view(`/api/v1/surveys/${surveyId}/exports`, record), 200);
  });

  app.openapi(download, async (c) => {
    const { surveyId, exportId, name } = c.req.valid('param');
    await evaluatorSurvey(c.var.claims, surveyId);
    const record = await settleAbandoned(deps.db, await getExportRecord(deps.db, surveyId, exportId), deps.now());
    if (record.status !== 'done') throw new ExportNotReadyError(exportId, record.status);
    if (!(record.files ?? []).includes(name)) throw new ExportNotFoundError(surveyId, exportId);
    const as = { filename: `${surveyId}-${name}`, contentType: exportContentType(name) };
    const file = await deps.storage.download(surveyId, exportId, name, as);
    if (!file) throw new ExportNotFoundError(surveyId, exportId);
    deps.logger.info('export downloaded', { surveyId, exportId, file: name, by: c.var.claims.sub });
    if (file.kind === 'link') {
      // In AWS the file comes straight from S3 through a link that lives at most 15 minutes. The
      // console asks for the link as JSON (a script may not follow a redirect to S3 under its CSP)
      // and then navigates to it.
      if (c.req.valid('query').as === 'link') {
        return c.json({ url: file.url, expiresAt: file.expiresAt.toISOString() }, 200, { 'Cache-Control': 'no-store' });
      }
      return c.json({ url: file.url, expiresAt: file.expiresAt.toISOString() }, 303, {
        Location: file.url,
        'Cache-Control': 'no-store',
      });
    }
    return c.body(file.body, 200, {
      'Content-Type': as.contentType,
      'Content-Disposition': `attachment; filename="${as.filename}"`,
      'Cache-Control': 'no-store',
    });
  });
  return app;
}
