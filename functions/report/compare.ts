import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { accepts } from 'hono/accepts';
import * as z from 'zod';
import { ComparisonForbiddenError, InvalidQueryError, SurveyNotFoundError } from '../../shared/errors.js';
import {
  type ComparedSurvey,
  type Comparison,
  compareQueryIssues,
  compareReports,
  MAX_COMPARED,
  MIN_COMPARED,
} from '../../shared/impact/compare.js';
import { Audience, Code, IndicatorKind, type SurveyDefinition, Text } from '../../shared/survey/schema.js';
import { type Claims, requireAnyRole } from '../lib/auth.js';
import type { AuthEnv } from '../lib/authenticate.js';
import { Problem } from '../lib/problem-schema.js';
import { validationHook } from '../lib/validation.js';
import type { ReportDeps } from './deps.js';
import { FigureSchema, TestedFields } from './impact.js';
import { readImpact } from './impact-read.js';
import { sendCompareFragment } from './pages/compare-fragment.js';

const Slot = z
  .string()
  .meta({ description: "the wave's place in its survey: baseline, follow-up 1, follow-up 2, ..." });
const ComparisonSchema = z
  .object({
    generatedAt: z.string(),
    audience: Audience,
    weighted: z.boolean(),
    level: z.number(),
    unreliableBelow: z.number().int(),
    adjustment: z.literal('holm'),
    withoutAudience: z.array(Code).meta({ description: 'surveys asked for that do not ask this audience' }),
    surveys: z.array(
      z.object({
        surveyId: Code,
        definitionVersion: z.string(),
        title: Text,
        campaign: z.object({ id: Code, name: Text, region: z.string() }),
        minCellSize: z.number().int(),
        dataAsOf: z.string().meta({ description: 'when the oldest figure of this survey was read from its cells' }),
        waves: z.array(z.object({ slot: Slot, waveId: Code, label: Text })),
      }),
    ),
    indicators: z.array(
      z.object({
        id: Code,
        kind: IndicatorKind,
        label: Text,
        surveys: z.array(Code),
        sameQuestions: z.boolean().meta({
          description:
            'every survey builds the indicator from the same questions (ids, types, wording, answer options, filters) and counts the same answers; otherwise a difference may come from the questionnaire',
        }),
        waves: z.array(
          z.object({ slot: Slot, figures: z.array(FigureSchema.extend({ surveyId: Code, waveId: Code })) }),
        ),
        differences: z.array(
          z.object({
            slot: Slot,
            a: Code,
            b: Code,
            sameQuestions: z.boolean().meta({
              description:
                'a and b build the indicator from the same questions (with three surveys or more, two may while the indicator as a whole does not)',
            }),
            ...TestedFields,
            test: z
              .string()
              .nullable()
              .meta({ description: 'did-welch-t (means, index) or did-z (shares, NPS, weighted)' }),
            df: z.number().nullable(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'Comparison' });

export const CompareQuery = z.object({
  surveys: z
    .string()
    .meta({
      description: `${MIN_COMPARED} to ${MAX_COMPARED} different survey ids, comma-separated`,
      example: 'handwerk-recklinghausen,handwerk-unna',
    })
    .refine((value) => surveyIdsOf(value) !== undefined, {
      message: `give ${MIN_COMPARED} to ${MAX_COMPARED} different survey ids, comma-separated`,
    }),
  // Audience is zod/mini (shared with the respondent function): wrapped the functional way.
  audience: z._default(Audience, 'public'),
  weighted: z
    .enum(['true', 'false'])
    .default('false')
    .meta({ description: "weight each survey to its own population margins (every survey's settings.weighting)" }),
  lang: z.string().optional().meta({ description: 'the HTML fragment in English with "en", else German' }),
});

/** The ids of `surveys=a,b`, or undefined unless they are 2 to 6 different well-formed ids. */
function surveyIdsOf(value: string): string[] | undefined {
  const ids = value.split(',');
  const wellFormed = ids.every((id) => Code.safeParse(id).success);
  const count = new Set(ids).size;
  return wellFormed && count === ids.length && count >= MIN_COMPARED && count <= MAX_COMPARED ? ids : undefined;
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
});

const route = createRoute({
  method: 'get',
  path: '/api/v1/compare',
  tags: ['lead'],
  summary: 'The indicators two or more surveys share, side by side, with the difference in their changes',
  description:
    "Each survey's figures exactly as its impact report shows them (its disclosure gate, its collecting waves), for one audience, aligned by wave place (baseline, follow-up 1, ...). For every pair of surveys and follow-up where both have it and the baseline: the difference in differences (b's change minus a's), Holm-adjusted over the whole comparison. Only for a lead or admin of every survey's campaign: a survey outside the token's campaigns and a survey that does not exist get the same 403.",
  security: [{ bearer: [] }],
  request: { query: CompareQuery },
  responses: {
    200: {
      description: 'The comparison (JSON), or the comparison fragment with Accept: text/html',
      headers: { Vary: { schema: { type: 'string' }, description: 'Accept' } },
      content: {
        'application/json': { schema: ComparisonSchema },
        'text/html': { schema: z.string().meta({ description: 'escaped HTML fragment, one table per indicator' }) },
      },
    },
    400: problem('Not 2 to 6 different surveys, an audience fewer than two of them ask, or weighting without margins'),
    401: problem('No valid bearer token'),
    403: problem('Not lead or admin of every survey asked (or a survey that does not exist)'),
  },
});

/** What the route answers: the comparison and, per survey, when its figures were read. */
export type ComparisonView = Omit<Comparison, 'surveys'> & {
  generatedAt: string;
  withoutAudience: string[];
  surveys: (ComparedSurvey & { dataAsOf: string })[];
};

export interface CompareRequest {
  surveys: string;
  audience: Audience;
  weighted: boolean;
  /** How the answer is sent (json, html), for the read log. */
  format: string;
}

/**
 * A survey the caller leads or administers; one outside the token's campaigns and one that does
 * not exist are refused alike, so the answer is no oracle for which surveys exist.
 */
async function coveredDefinition(deps: ReportDeps, claims: Claims, surveyId: string): Promise<SurveyDefinition> {
  let definition: SurveyDefinition;
  try {
    definition = await deps.catalog.definition(surveyId);
  } catch (error) {
    if (error instanceof SurveyNotFoundError) throw new ComparisonForbiddenError({ cause: error });
    throw error;
  }
  try {
    requireAnyRole(claims, ['lead', 'admin'], definition.campaign.id);
  } catch (error) {
    throw new ComparisonForbiddenError({ cause: error });
  }
  return definition;
}

/**
 * Each survey's impact report as the impact route makes it (snapshots of its cells, its own gate
 * and released waves), then the comparison of those reports. Used by the API route and the
 * console page's fragment alike.
 */
export async function comparisonFor(
  deps: ReportDeps,
  claims: Claims,
  request: CompareRequest,
): Promise<ComparisonView> {
  const ids = surveyIdsOf(request.surveys);
  if (!ids) {
    throw new InvalidQueryError([
      { field: 'surveys', code: 'invalid', message: `give ${MIN_COMPARED} to ${MAX_COMPARED} different survey ids` },
    ]);
  }
  const definitions = await Promise.all(ids.map((id) => coveredDefinition(deps, claims, id)));
  const { audience, weighted } = request;
  const issues = compareQueryIssues(definitions, { audience, weighted });
  if (issues.length > 0) throw new InvalidQueryError(issues);
  // Who compared which surveys, for accountability (the figures themselves are never logged).
  deps.logger.info('report read', {
    surveyId: ids.join(','),
    view: 'compare',
    audience,
    weighted,
    format: request.format,
    by: claims.sub,
  });
  const now = deps.now();
  const asking = definitions.filter((d) => d.audiences[audience]);
  const reads = await Promise.all(
    asking.map(async (definition) => {
      const { report, dataAsOf } = await readImpact(deps, definition, { audience }, weighted, now);
      return { definition, report, dataAsOf };
    }),
  );
  const comparison = compareReports(reads);
  return {
    ...comparison,
    generatedAt: now.toISOString(),
    withoutAudience: definitions.filter((d) => !d.audiences[audience]).map((d) => d.id),
    surveys: comparison.surveys.map((s, i) => ({ ...s, dataAsOf: reads[i]?.dataAsOf ?? now.toISOString() })),
  };
}

/** The regional comparison for leads and admins of every survey compared. */
export function compareRoutes(deps: ReportDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  app.openapi(route, async (c) => {
    const q = c.req.valid('query');
    const type = accepts(c, {
      header: 'Accept',
      supports: ['application/json', 'text/html'],
      default: 'application/json',
    });
    const view = await comparisonFor(deps, c.var.claims, {
      surveys: q.surveys,
      audience: q.audience,
      weighted: q.weighted === 'true',
      format: type,
    });
    c.header('Vary', 'Accept');
    if (type === 'text/html') return sendCompareFragment(c, view);
    return c.json(view, 200);
  });
  return app;
}
