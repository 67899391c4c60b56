import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { accepts } from 'hono/accepts';
import * as z from 'zod';
import { surveyChannels } from '../../shared/channels/resolve.js';
import { periodsOf } from '../../shared/disclosure/line.js';
import { InvalidQueryError } from '../../shared/errors.js';
import { shown } from '../../shared/fieldwork/report.js';
import { indexGate } from '../../shared/impact/gate.js';
import { defaultAudience, impactQueryIssues } from '../../shared/impact/query.js';
import { type ImpactQuery, RESPONDENTS, type WaveIndex } from '../../shared/impact/report.js';
import { type RakedGroup, type ShownWeightingSummary, unweightedWaves } from '../../shared/impact/weights.js';
import { type Population, weightedDimensions } from '../../shared/stats/population.js';
import { Audience, Code, Dimension, IndicatorKind, type SurveyDefinition, Text } from '../../shared/survey/schema.js';
import { requireAnyRole } from '../lib/auth.js';
import type { AuthEnv } from '../lib/authenticate.js';
import { localTime } from '../lib/local-time.js';
import { Problem } from '../lib/problem-schema.js';
import { validationHook } from '../lib/validation.js';
import { langFrom } from '../respond/pages/i18n.js';
import type { ReportDeps } from './deps.js';
import { Channels, Distributions } from './distributions-schema.js';
import { impactCsv, impactCsvName } from './impact-csv.js';
import { readImpact } from './impact-read.js';
import { type FieldworkSummary, sendImpactFragment } from './pages/impact-fragment.js';
import { reportLabels } from './pages/labels.js';

const Interval = z.object({ lo: z.number(), hi: z.number() });
const Flags = z.array(z.enum(['suppressed', 'collecting', 'unreliable'])).meta({
  description:
    'suppressed: below the minimum cell size, or hidden so that such a figure cannot be worked out from the others (the same in every view), no figure; collecting: the wave still collects, its figures come when it has closed; unreliable: n < 30, no significance marker',
});
export const FigureSchema = z
  .object({
    n: z.number().int().nullable(),
    estimate: z.number().nullable().meta({ description: 'index 0-100, mean on its scale, share 0-1, NPS points' }),
    se: z.number().nullable(),
    ci: Interval.nullable(),
    flags: Flags,
    nEff: z.number().nullable().optional().meta({ description: "weighted only: Kish's effective n" }),
    deff: z.number().nullable().optional().meta({ description: 'weighted only: design effect of the weights' }),
  })
  .meta({ id: 'Figure' });
export const TestedFields = {
  delta: z.number().nullable(),
  ci: Interval.nullable(),
  p: z.number().nullable(),
  pAdjusted: z.number().nullable(),
  significant: z.boolean(),
  test: z.string().nullable().meta({ description: 'welch-t, two-proportion-z or z (NPS)' }),
  flags: Flags,
};
const TargetSchema = z
  .object({
    indicator: Code,
    audience: Audience,
    cities: z.array(Code).nullable(),
    direction: z.enum(['at_least', 'at_most']),
    value: z.number().meta({ description: "in the estimates' unit (a share as a proportion)" }),
    from: z.number().nullable(),
    deadline: z.string(),
    deadlinePassed: z.boolean(),
    source: Text,
    checkedBy: z.nullable(Code).meta({ description: 'the wave the survey file names for the check' }),
    waveId: z.nullable(Code).meta({ description: 'the wave whose figure is tested' }),
    figure: FigureSchema,
    test: z
      .object({
        statistic: z.number(),
        df: z.number().optional(),
        p: z.number().meta({ description: 'one-sided p of "the target is not reached"' }),
        pShort: z.number().meta({ description: 'one-sided p of "the target is reached"' }),
        test: z.string(),
        alpha: z.number().meta({ description: '(1 - level) / 2: the same decision as the interval' }),
      })
      .nullable(),
    state: z.enum(['reached', 'not_reached', 'undecided', 'too_few']),
  })
  .meta({ id: 'TargetResult' });
const SummarySchema = z
  .object({
    from: z.nullable(Code),
    to: z.nullable(Code),
    lines: z.array(
      z.object({
        indicator: Code,
        kind: IndicatorKind,
        unit: z.enum(['index_points', 'percentage_points', 'nps_points', 'grade_steps', 'scale_points']),
        better: z.enum(['higher', 'lower']),
        from: FigureSchema.extend({ waveId: Code }).nullable(),
        to: FigureSchema.extend({ waveId: Code }).nullable(),
        change: z
          .object({
            delta: z.number().nullable(),
            ci: Interval.nullable(),
            p: z.number().nullable(),
            pAdjusted: z.number().nullable(),
            significant: z.boolean(),
          })
          .nullable(),
        judgement: z.enum([
          'rose',
          'fell',
          'hint_rose',
          'hint_fell',
          'unchanged',
          'too_few',
          'collecting',
          'no_comparison',
        ]),
        assessment: z.enum(['better', 'worse']).nullable(),
        target: TargetSchema.nullable(),
      }),
    ),
  })
  .meta({
    id: 'ImpactSummary',
    description:
      'the verdict: per indicator the change between the pair (chosen, or baseline and latest follow-up with figures), read in words, and its target',
  });
const Impact = z
  .object({
    compared: z.object({ from: Code, to: Code }).nullable(),
    summary: SummarySchema,
    targets: z.array(TargetSchema),
    surveyId: Code,
    definitionVersion: z.string(),
    generatedAt: z.string(),
    dataAsOf: z.string().meta({
      description:
        'when the oldest figure shown was read from the aggregate cells (snapshots of a collecting wave are refreshed after IMPACT_MAX_AGE_SECONDS)',
    }),
    audience: Audience,
    city: z.string().nullable(),
    weighted: z.boolean(),
    weighting: z
      .object({
        population: z.string(),
        area: z.string(),
        verified: z.boolean(),
        cap: z.number(),
        dimensions: z.array(Dimension).meta({
          description:
            'the dimensions the viewed audience is weighted by; empty when the population has no margins for it',
        }),
        groups: z.array(
          z.object({
            waveId: Code,
            audience: Audience,
            converged: z.boolean(),
            iterations: z.number().int(),
            cappedCells: z.number().int(),
            emptyCategories: z.array(z.string()),
            uncategorised: z.number().int().nullable().meta({
              description: 'respondents without a category on some margin; null when 1 to minCellSize-1',
            }),
          }),
        ),
        unweighted: z.array(z.object({ waveId: Code, reason: z.enum(['no_margins', 'not_converged']) })).meta({
          description:
            "the viewed audience's waves shown unweighted: no population margins for the audience, or raking did not converge",
        }),
      })
      .nullable()
      .meta({ description: 'how the weights came about (raking per wave and audience); null when unweighted' }),
    level: z.number(),
    minCellSize: z.number().int(),
    unreliableBelow: z.number().int(),
    adjustment: z.enum(['holm', 'benjamini-hochberg']),
    indicators: z.array(
      z.object({
        id: Code,
        kind: IndicatorKind,
        label: Text,
        waves: z.array(FigureSchema.extend({ waveId: Code })),
        changes: z.array(z.object({ from: Code, to: Code, ...TestedFields })),
        cities: z.array(z.object({ waveId: Code, rows: z.array(FigureSchema.extend({ city: z.string() })) })),
      }),
    ),
    exposure: z.array(
      z.object({ indicator: Code, waveId: Code, aware: FigureSchema, notAware: FigureSchema, ...TestedFields }),
    ),
    gap: z.array(
      z.object({
        indicator: Code,
        waveId: Code,
        city: z.string().nullable(),
        self: FigureSchema,
        outside: FigureSchema,
        ...TestedFields,
      }),
    ),
    distributions: Distributions,
    channels: Channels,
  })
  .meta({ id: 'Impact' });

const Query = z
  .object({
    // Audience and Code are zod/mini (shared with the respondent function): wrapped the functional way.
    audience: z.optional(Audience).meta({ description: "default: the public, or the survey's first audience" }),
    city: z.optional(Code),
    from: z.optional(Code).meta({ description: 'compare this wave ...' }),
    to: z.optional(Code).meta({
      description: '... with this one (both or neither; default: baseline vs every follow-up)',
    }),
    adjustment: z.enum(['holm', 'benjamini-hochberg']).default('holm'),
    weighted: z
      .enum(['true', 'false'])
      .default('false')
      .meta({ description: 'weight to the population margins of the survey (settings.weighting)' }),
    lang: z.string().optional().meta({ description: 'the HTML fragment in English with "en", else German' }),
  })
  .refine((q) => (q.from === undefined) === (q.to === undefined), {
    message: 'give both from and to, or neither',
    path: ['to'],
  });

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
});

const route = createRoute({
  method: 'get',
  path: '/api/v1/surveys/{surveyId}/impact',
  tags: ['lead'],
  summary: 'Indicators per wave with intervals, changes with adjusted p-values, exposure contrast, perception gap',
  description:
    'Computed from aggregate cells only, through the disclosure gate: figures of waves still collecting are not shown; figures below the minimum cell size are suppressed, and so are others where a suppressed one could be worked out from them, in every view alike (city filter, weighted, exposure, gap, CSV, HTML); below 30 they are marked unreliable and never significant. `Accept: text/csv` gives the same figures as one flat table.',
  security: [{ bearer: [] }],
  request: { params: z.object({ surveyId: Code }), query: Query },
  responses: {
    200: {
      description:
        'The impact report (JSON), the same as CSV with Accept: text/csv, or the dashboard fragment with Accept: text/html',
      headers: { Vary: { schema: { type: 'string' }, description: 'Accept' } },
      content: {
        'application/json': { schema: Impact },
        'text/csv': {
          schema: z.string().meta({
            description:
              'for Excel: UTF-8 with BOM; German (default) with ";" and a decimal comma, `?lang=en` with "," and a point; figures rounded as shown; the verdict and targets first, then one row per figure or test',
          }),
        },
        'text/html': {
          schema: z.string().meta({ description: 'escaped HTML fragment with SVG charts for the dashboard' }),
        },
      },
    },
    400: problem('A parameter does not fit the survey'),
    401: problem('No valid bearer token'),
    403: problem('Neither lead nor admin of this campaign'),
    404: problem('No such survey'),
  },
});

/**
 * The dashboard's fieldwork part: the audience's (and city's) responses per wave through each
 * wave's disclosure gate, and the latest wave's days as periods of at least k responses.
 */
function fieldworkSummary(
  definition: SurveyDefinition,
  indexes: Map<string, WaveIndex>,
  days: Map<string, Record<string, number>>,
  query: ImpactQuery,
): FieldworkSummary {
  const k = definition.settings.minCellSize;
  const totals = definition.waves.map((w) => {
    const index = indexes.get(w.id);
    const byCity = index?.get(query.audience);
    const cities = query.city ? [byCity?.get(query.city)] : [...(byCity?.values() ?? [])];
    let n = 0;
    for (const byExposure of cities) {
      for (const byIndicator of byExposure?.values() ?? []) n += byIndicator.get(RESPONDENTS)?.n ?? 0;
    }
    const hidden = indexGate(definition, index).hidden(query.audience, RESPONDENTS, query.city ?? null);
    return { waveId: w.id, responses: hidden ? null : n };
  });
  const latest = [...definition.waves].reverse().find((w) => Object.keys(days.get(w.id) ?? {}).length > 0);
  const periods = periodsOf((latest && days.get(latest.id)) ?? {}, k).map(({ from, to, n }) => ({
    from,
    to,
    responses: n,
  }));
  return { totals, trend: latest && { waveId: latest.id, periods } };
}

/**
 * How `?weighted=true` figures came about: only for surveys that name their population margins.
 * The raking itself happened when each wave's snapshot was made (see impact-snapshot-store.ts).
 */
function weightingSummary(
  definition: SurveyDefinition,
  raking: Map<string, RakedGroup[]>,
  population: Population | undefined,
  released: ReadonlySet<string>,
  audience: Audience,
): ShownWeightingSummary {
  const settings = definition.settings.weighting;
  if (!settings || !population) {
    throw new InvalidQueryError([
      {
        field: 'weighted',
        code: 'no_weighting',
        message: 'this survey names no population margins (settings.weighting), so it can only be shown unweighted',
      },
    ]);
  }
  const groups = definition.waves.filter((w) => released.has(w.id)).flatMap((w) => raking.get(w.id) ?? []);
  return {
    population: population.id,
    area: population.area,
    verified: population.verified,
    cap: settings.cap,
    dimensions: weightedDimensions(population, audience),
    unweighted: unweightedWaves(definition, population, groups, audience, released),
    // Only released waves, and a count of respondents outside the margins only when it is no small group.
    groups: groups.map((g) => ({ ...g, uncategorised: shown(g.uncategorised, definition.settings.minCellSize) })),
  };
}

/** Impact for campaign leads and admins: did the image and awareness move, how sure are we. */
export function impactRoutes(deps: ReportDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  app.openapi(route, async (c) => {
    const definition = await deps.catalog.definition(c.req.valid('param').surveyId);
    requireAnyRole(c.var.claims, ['lead', 'admin'], definition.campaign.id);
    const q = c.req.valid('query');
    const query: ImpactQuery = {
      audience: q.audience ?? defaultAudience(definition),
      city: q.city,
      compare: q.from && q.to ? { from: q.from, to: q.to } : undefined,
      adjustment: q.adjustment,
      today: deps.now().toISOString().slice(0, 10),
    };
    const issues = impactQueryIssues(definition, query);
    if (issues.length > 0) throw new InvalidQueryError(issues);
    const type = accepts(c, {
      header: 'Accept',
      supports: ['application/json', 'text/csv', 'text/html'],
      default: 'application/json',
    });
    // Who read which breakdown, for accountability (the figures themselves are never logged).
    deps.logger.info('report read', {
      surveyId: definition.id,
      view: 'impact',
      audience: query.audience,
      city: query.city,
      weighted: q.weighted === 'true',
      format: type,
      by: c.var.claims.sub,
    });
    const now = deps.now();
    const weighted = q.weighted === 'true';
    const { report: computed, read, population, dataAsOf } = await readImpact(deps, definition, query, weighted, now);
    const weighting = weighted
      ? weightingSummary(definition, read.raking, population, read.settled, query.audience)
      : null;
    const report = { ...computed, weighting, dataAsOf };
    c.header('Vary', 'Accept');
    if (type === 'text/html') {
      return sendImpactFragment(
        c,
        deps.catalog,
        definition,
        report,
        fieldworkSummary(definition, read.indexes, read.days, query),
      );
    }
    if (type === 'text/csv') {
      const lang = langFrom(q.lang);
      const labels = reportLabels(
        definition,
        surveyChannels(definition, await deps.catalog.channels(definition.id)),
        lang,
      );
      const name = impactCsvName(definition.id, report);
      const about = {
        campaign: definition.campaign.name[lang],
        survey: definition.title[lang],
        asOf: localTime(report.dataAsOf, lang),
      };
      return c.body(impactCsv(report, about, labels, lang), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}"`,
      });
    }
    // The verdict first, as a reader of the raw JSON meets it.
    const { summary, targets, ...rest } = report;
    return c.json({ summary, targets, ...rest, generatedAt: now.toISOString() }, 200);
  });
  return app;
}
