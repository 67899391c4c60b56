import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { accepts } from 'hono/accepts';
import * as z from 'zod';
import { readCells } from '../../shared/data/aggregate-store.js';
import { listBatches } from '../../shared/data/invitation-store.js';
import { listQuotas } from '../../shared/data/quota-store.js';
import { fieldworkReport, shown } from '../../shared/fieldwork/report.js';
import { QuotaMode } from '../../shared/quotas/schema.js';
import { Code } from '../../shared/survey/schema.js';
import type { AdminDeps } from '../admin/deps.js';
import { requireAnyRole } from '../lib/auth.js';
import type { AuthEnv } from '../lib/authenticate.js';
import { Problem } from '../lib/problem-schema.js';
import { validationHook } from '../lib/validation.js';
import { sendFieldworkFragment } from './pages/fieldwork-fragment.js';

const Shown = z.number().int().nullable().meta({
  description:
    'a count; null where the disclosure gate hides it (fewer than minCellSize, or hidden so that such a group cannot be worked out)',
});
const Together = z
  .object({
    groups: z.array(z.string()).meta({ description: 'the codes of the hidden groups (cities, audiences or channels)' }),
    responses: Shown.meta({
      description:
        'their sum: the total less the shown groups, so it tells nothing new; null where the total is hidden',
    }),
  })
  .optional()
  .meta({ description: 'the groups the disclosure gate hides in this line, together; absent where none is hidden' });
const Fieldwork = z
  .object({
    surveyId: Code,
    minCellSize: z.number().int(),
    generatedAt: z.string(),
    waves: z
      .array(
        z.object({
          waveId: Code,
          collecting: z.boolean().meta({ description: 'the wave collects responses now' }),
          responses: Shown,
          audiences: z.array(
            z.object({
              audience: z.string(),
              responses: Shown,
              cities: z.array(z.object({ city: z.string(), responses: Shown })),
              otherCities: Together,
            }),
          ),
          otherAudiences: Together,
          channels: z.array(z.object({ channel: z.string(), responses: Shown })),
          otherChannels: Together,
          periods: z
            .array(
              z.object({
                from: z.string(),
                to: z.string(),
                responses: z.number().int(),
                cumulative: z.number().int().meta({ description: 'responses of the wave up to the end of the period' }),
              }),
            )
            .meta({ description: 'runs of days with at least minCellSize responses each (days without any: 0)' }),
        }),
      )
      .meta({
        description: 'the collecting wave first, then the others newest first, then those without responses yet',
      }),
    acrossWaves: z
      .object({
        responses: Shown,
        audiences: z.array(z.object({ audience: z.string(), responses: Shown })),
        otherAudiences: Together,
      })
      .meta({
        description:
          "per audience, the waves' shown counts added up: null where a wave hides the audience's count (the sum would give it back)",
      }),
    quotas: z.array(
      z.object({
        id: z.string(),
        waveId: Code,
        audience: z.string(),
        city: z.string().optional(),
        target: z.number().int(),
        whenMet: QuotaMode,
        responses: Shown,
        met: z
          .boolean()
          .nullable()
          .meta({ description: 'null where the count is hidden (it would tell the count reached the target)' }),
      }),
    ),
    invitations: z.array(
      z.object({
        batchId: z.string(),
        audience: z.string(),
        createdOn: z.string(),
        issued: z.number().int(),
        used: Shown,
        revoked: z.number().int(),
        expired: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'Fieldwork' });

const route = createRoute({
  method: 'get',
  path: '/api/v1/surveys/{surveyId}/fieldwork',
  tags: ['lead'],
  summary:
    'Responses per wave, audience and city, per channel and over time, quota progress and invitation response rates',
  description:
    'From aggregate cells and batch counters only, through the disclosure gate: counts of fewer than minCellSize, and those hidden so that such a count cannot be worked out, are null; days come as periods of at least minCellSize. The hidden groups of a line come together as one sum where the total is shown (it follows from the total and the shown groups). The collecting wave comes first.',
  security: [{ bearer: [] }],
  request: {
    params: z.object({ surveyId: Code }),
    query: z.object({
      lang: z.string().optional().meta({ description: 'HTML fragment in English with "en", else German' }),
    }),
  },
  responses: {
    200: {
      description: 'The fieldwork report: JSON by default, an HTML fragment for the lead pages with Accept: text/html',
      headers: { Vary: { schema: { type: 'string' }, description: 'Accept' } },
      content: {
        'application/json': { schema: Fieldwork },
        'text/html': {
          schema: z.string().meta({ description: 'escaped HTML fragment (tables, no scripts) for the report page' }),
        },
      },
    },
    401: { description: 'No valid bearer token', content: { 'application/problem+json': { schema: Problem } } },
    403: {
      description: 'Neither lead nor admin of this campaign',
      content: { 'application/problem+json': { schema: Problem } },
    },
    404: { description: 'No such survey', content: { 'application/problem+json': { schema: Problem } } },
  },
});

/** Fieldwork for campaign leads and admins: how many answered, where, through which channel, when. */
export function fieldworkRoutes(deps: AdminDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  app.openapi(route, async (c) => {
    const definition = await deps.catalog.definition(c.req.valid('param').surveyId);
    requireAnyRole(c.var.claims, ['lead', 'admin'], definition.campaign.id);
    const now = deps.now();
    const shards = definition.settings.aggregateShards;
    const cells = await Promise.all(definition.waves.map((w) => readCells(deps.db, definition.id, w.id, shards)));
    const byWave = new Map(definition.waves.map((w, i) => [w.id, cells[i] ?? new Map()]));
    const collecting = (await deps.catalog.openWave(definition.id, now))?.waveId;
    const report = fieldworkReport(definition, byWave, await listQuotas(deps.db, definition.id), collecting);
    const k = definition.settings.minCellSize;
    const invitations = (await listBatches(deps.db, definition.id, now)).map((b) => ({
      batchId: b.batchId,
      audience: b.audience,
      createdOn: b.createdOn,
      issued: b.issued,
      used: shown(b.used, k),
      revoked: b.revoked,
      expired: b.expired,
    }));
    const body = { ...report, generatedAt: now.toISOString(), invitations };
    // One route, two representations (the lead page's script asks for HTML): caches must tell them apart.
    c.header('Vary', 'Accept');
    const type = accepts(c, {
      header: 'Accept',
      supports: ['application/json', 'text/html'],
      default: 'application/json',
    });
    deps.logger.info('report read', { surveyId: definition.id, view: 'fieldwork', format: type, by: c.var.claims.sub });
    if (type === 'text/html') return sendFieldworkFragment(c, deps.catalog, definition, body);
    return c.json(body, 200);
  });
  return app;
}
