import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { stringify } from 'csv-stringify/sync';
import { accepts } from 'hono/accepts';
import * as z from 'zod';
import { impactCells } from '../../shared/data/impact-snapshot-store.js';
import { populationFor } from '../../shared/data/population-files.js';
import { periodsOf } from '../../shared/disclosure/line.js';
import { InvalidQueryError } from '../../shared/errors.js';
import { shown } from '../../shared/fieldwork/report.js';
import type { Figure } from '../../shared/impact/estimate.js';
import { indexGate } from '../../shared/impact/gate.js';
import { impactQueryIssues } from '../../shared/impact/query.js';
import {
  type ImpactQuery,
  type ImpactReport,
  impactReportOf,
  RESPONDENTS,
  type Tested,
  type WaveIndex,
} from '../../shared/impact/report.js';
import type { RakedGroup, ShownWeightingSummary } from '../../shared/impact/weights.js';
import type { Population } from '../../shared/stats/population.js';
import { Audience, Code, IndicatorKind, type SurveyDefinition, Text } from '../../shared/survey/schema.js';
import { requireAnyRole } from '../lib/auth.js';
import type { AuthEnv } from '../lib/authenticate.js';
import { Problem } from '../lib/problem-schema.js';
import { validationHook } from '../lib/validation.js';
import { DEFAULT_IMPACT_MAX_AGE_MS, type ReportDeps } from './deps.js';
import { type FieldworkSummary, sendImpactFragment } from './pages/impact-fragment.js';

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
const Impact = z
  .object({
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
  })
  .meta({ id: 'Impact' });

const Query = z
  .object({
    // Audience and Code are zod/mini (shared with the respondent function): wrapped the functional way.
    audience: z._default(Audience, 'public'),
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
        'text/csv': { schema: z.string().meta({ description: 'RFC 4180, UTF-8, one row per figure or test' }) },
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

const CSV_COLUMNS = [
  'section',
  'indicator',
  'kind',
  'wave',
  'compared_with',
  'group',
  'city',
  'n',
  'n_eff',
  'design_effect',
  'estimate',
  'ci_low',
  'ci_high',
  'delta',
  'delta_ci_low',
  'delta_ci_high',
  'p',
  'p_adjusted',
  'significant',
  'flags',
] as const;
type CsvRow = Partial<Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null>>;

const figureCells = (f: Figure): CsvRow => ({
  n: f.n,
  n_eff: f.nEff ?? null,
  design_effect: f.deff ?? null,
  estimate: f.estimate,
  ci_low: f.ci?.lo ?? null,
  ci_high: f.ci?.hi ?? null,
  flags: f.flags.join(' '),
});
const testedCells = (t: Tested): CsvRow => ({
  delta: t.delta,
  delta_ci_low: t.ci?.lo ?? null,
  delta_ci_high: t.ci?.hi ?? null,
  p: t.p,
  p_adjusted: t.pAdjusted,
  significant: t.significant,
  flags: t.flags.join(' '),
});

/** The report as one flat table: estimates, changes, city figures, exposure and gap rows. */
export function impactCsv(report: ImpactReport): string {
  const rows: CsvRow[] = [];
  const city = report.city ?? '';
  for (const i of report.indicators) {
    const base = { indicator: i.id, kind: i.kind };
    for (const w of i.waves) rows.push({ section: 'estimate', ...base, wave: w.waveId, city, ...figureCells(w) });
    for (const c of i.changes) {
      rows.push({ section: 'change', ...base, wave: c.to, compared_with: c.from, city, ...testedCells(c) });
    }
    for (const { waveId, rows: cities } of i.cities) {
      for (const r of cities) rows.push({ section: 'city', ...base, wave: waveId, city: r.city, ...figureCells(r) });
    }
  }
  for (const e of report.exposure) {
    const base = { section: 'exposure', indicator: e.indicator, wave: e.waveId, city };
    rows.push({ ...base, group: 'aware', ...figureCells(e.aware) });
    rows.push({ ...base, group: 'not_aware', ...figureCells(e.notAware) });
    rows.push({ ...base, group: 'aware_minus_not_aware', ...testedCells(e) });
  }
  for (const g of report.gap) {
    const base = { section: 'gap', indicator: g.indicator, wave: g.waveId, city: g.city ?? '' };
    rows.push({ ...base, group: 'business_self', ...figureCells(g.self) });
    rows.push({ ...base, group: 'public_outside', ...figureCells(g.outside) });
    rows.push({ ...base, group: 'self_minus_outside', ...testedCells(g) });
  }
  return stringify(rows, {
    header: true,
    columns: [...CSV_COLUMNS],
    cast: { boolean: (v) => (v ? 'true' : 'false') },
    escape_formulas: true,
    record_delimiter: 'windows',
  });
}

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
  return {
    population: population.id,
    area: population.area,
    verified: population.verified,
    cap: settings.cap,
    // Only released waves, and a count of respondents outside the margins only when it is no small group.
    groups: definition.waves
      .filter((w) => released.has(w.id))
      .flatMap((w) => raking.get(w.id) ?? [])
      .map((g) => ({ ...g, uncategorised: shown(g.uncategorised, definition.settings.minCellSize) })),
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
      audience: q.audience,
      city: q.city,
      compare: q.from && q.to ? { from: q.from, to: q.to } : undefined,
      adjustment: q.adjustment,
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
    const population = await populationFor(definition);
    // Snapshots of the cells (summed over shards, reduced to what the report needs): the read stays
    // the same size however many responses there are. See shared/data/impact-snapshot-store.ts.
    const read = await impactCells(deps.db, definition, {
      now,
      maxAgeMs: deps.impactMaxAgeMs ?? DEFAULT_IMPACT_MAX_AGE_MS,
      population,
    });
    for (const { waveId, reason } of read.unsaved) {
      deps.logger.warn('impact snapshot not stored', { surveyId: definition.id, waveId, reason });
    }
    const weighted = q.weighted === 'true';
    const weighting = weighted ? weightingSummary(definition, read.raking, population, read.settled) : null;
    const report = {
      ...impactReportOf(definition, read.indexes, query, weighted, read.settled),
      weighting,
      dataAsOf: [...read.asOf.values()].sort()[0] ?? now.toISOString(),
    };
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
      const name = `impact-${definition.id}-${query.audience}${query.city ? `-${query.city}` : ''}.csv`;
      return c.body(impactCsv(report), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}"`,
      });
    }
    return c.json({ ...report, generatedAt: now.toISOString() }, 200);
  });
  return app;
}
