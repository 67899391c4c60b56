import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import * as z from 'zod';
import { listSurveys } from '../../shared/data/survey-store.js';
import { type FieldIssue, ForbiddenError, InvalidQueryError } from '../../shared/errors.js';
import { type Audience, Audience as AudienceSchema } from '../../shared/survey/schema.js';
import { type Claims, requireAnyRole } from '../lib/auth.js';
import type { AuthEnv } from '../lib/authenticate.js';
import { Problem } from '../lib/problem-schema.js';
import { zodFieldIssues } from '../lib/validation.js';
import { type Lang, langFrom } from '../respond/pages/i18n.js';
import { CompareQuery, type ComparisonView, comparisonFor } from './compare.js';
import type { ReportDeps } from './deps.js';
import { CompareFragment } from './pages/compare-fragment.js';
import { compareUi } from './pages/compare-i18n.js';
import { impactUi } from './pages/impact-i18n.js';

const route = createRoute({
  method: 'get',
  path: '/api/v1/reports/console/compare',
  tags: ['lead'],
  summary: 'The regional comparison page: the choice of surveys and, once chosen, the comparison',
  description:
    'The fragment of /console/compare: a form listing the surveys the caller may compare (lead or admin of their campaign) and, with `surveys`, the comparison of GET /api/v1/compare. A selection that does not fit is shown next to its field.',
  security: [{ bearer: [] }],
  request: {
    query: z.object({
      surveys: z.string().optional(),
      audience: z.string().optional(),
      weighted: z.string().optional(),
      lang: z.string().optional(),
    }),
  },
  responses: {
    200: { description: 'The HTML fragment', content: { 'text/html': { schema: z.string() } } },
    401: { description: 'No valid bearer token', content: { 'application/problem+json': { schema: Problem } } },
    403: {
      description: 'A survey asked for outside the caller’s campaigns (or one that does not exist)',
      content: { 'application/problem+json': { schema: Problem } },
    },
  },
});

interface Choice {
  surveyId: string;
  name: string;
}

const mayCompare = (claims: Claims, campaignId: string) => {
  try {
    requireAnyRole(claims, ['lead', 'admin'], campaignId);
    return true;
  } catch (error) {
    if (error instanceof ForbiddenError) return false;
    throw error;
  }
};

/** The surveys of the campaigns the caller leads or administers, as the console home lists them. */
async function choicesOf(deps: ReportDeps, claims: Claims, lang: Lang): Promise<Choice[]> {
  const pointers = (await listSurveys(deps.db)).filter((p) => mayCompare(claims, p.campaignId));
  const definitions = await Promise.all(pointers.map((p) => deps.catalog.definition(p.surveyId)));
  return definitions
    .map((d) => ({ surveyId: d.id, name: `${d.campaign.region}: ${d.title[lang]}` }))
    .sort((x, y) => x.name.localeCompare(y.name, lang) || x.surveyId.localeCompare(y.surveyId));
}

interface Selection {
  surveys: string[];
  audience: string;
  weighted: boolean;
}

/** A refused selection in words next to its field (German or English, whatever the server said). */
function FieldError({
  field,
  issues,
  lang,
}: {
  field: keyof (typeof compareUi)['de']['issues'];
  issues: FieldIssue[];
  lang: Lang;
}) {
  if (!issues.some((i) => i.field === field)) return null;
  return (
    <p class="field-error" id={`error-${field}`}>
      {compareUi[lang].issues[field]}
    </p>
  );
}

function CompareForm({
  choices,
  selection,
  issues,
  lang,
}: {
  choices: Choice[];
  selection: Selection;
  issues: FieldIssue[];
  lang: Lang;
}) {
  const ui = compareUi[lang];
  const invalid = (field: string) => issues.some((i) => i.field === field);
  const described = (field: string) => (invalid(field) ? { 'aria-describedby': `error-${field}` } : {});
  return (
    <form class="controls compare-form" method="get" action="/console/compare">
      <fieldset class="choices" {...described('surveys')}>
        <legend>{ui.surveys}</legend>
        {choices.map((s) => (
          <div class="check">
            <input
              id={`survey-${s.surveyId}`}
              type="checkbox"
              name="surveys"
              value={s.surveyId}
              checked={selection.surveys.includes(s.surveyId)}
            />
            <label for={`survey-${s.surveyId}`}>{s.name}</label>
          </div>
        ))}
        <FieldError field="surveys" issues={issues} lang={lang} />
      </fieldset>
      <fieldset>
        <legend>{impactUi[lang].controls}</legend>
        <div class="control">
          <label for="select-audience">{ui.audience}</label>
          <select
            id="select-audience"
            name="audience"
            {...described('audience')}
            {...(invalid('audience') ? { 'aria-invalid': 'true' } : {})}
          >
            {AudienceSchema.options.map((a: Audience) => (
              <option value={a} selected={a === selection.audience}>
                {ui.audiences[a]}
              </option>
            ))}
          </select>
          <FieldError field="audience" issues={issues} lang={lang} />
        </div>
        <div class="control check">
          <input
            id="select-weighted"
            type="checkbox"
            name="weighted"
            value="true"
            checked={selection.weighted}
            {...described('weighted')}
          />
          <label for="select-weighted">{ui.weighted}</label>
          <FieldError field="weighted" issues={issues} lang={lang} />
        </div>
        {lang === 'en' && <input type="hidden" name="lang" value="en" />}
        <button type="submit">{ui.show}</button>
      </fieldset>
    </form>
  );
}

/** The page's content: the choice, then what came of it (the comparison, or the fields to fix). */
export function compareConsoleRoutes(deps: ReportDeps) {
  const app = new OpenAPIHono<AuthEnv>();
  app.openapi(route, async (c) => {
    const q = c.req.valid('query');
    const lang = langFrom(q.lang);
    const ui = compareUi[lang];
    const choices = await choicesOf(deps, c.var.claims, lang);
    const selection: Selection = {
      surveys: q.surveys?.split(',') ?? [],
      audience: q.audience ?? 'public',
      weighted: q.weighted === 'true',
    };
    let view: ComparisonView | undefined;
    let issues: FieldIssue[] = [];
    // The form always sends an audience: sent without any survey ticked, that is a selection to fix.
    if (q.surveys !== undefined || q.audience !== undefined) {
      const parsed = CompareQuery.safeParse({ ...q, surveys: q.surveys ?? '' });
      if (!parsed.success) issues = zodFieldIssues(parsed.error);
      else {
        try {
          const { surveys, audience, weighted } = parsed.data;
          view = await comparisonFor(deps, c.var.claims, {
            surveys,
            audience,
            weighted: weighted === 'true',
            format: 'text/html',
          });
        } catch (error) {
          // A refused survey (403) is no field to fix: it goes on to the page's problem box.
          if (!(error instanceof InvalidQueryError)) throw error;
          issues = error.issues;
        }
      }
    }
    c.header('Vary', 'Accept');
    return c.html(
      <div class="compare-page">
        <p>{ui.intro}</p>
        {choices.length < 2 ? (
          <p class="notice">{ui.noSurveys}</p>
        ) : (
          <CompareForm choices={choices} selection={selection} issues={issues} lang={lang} />
        )}
        {view ? (
          <CompareFragment
            view={view}
            lang={lang}
            nameOf={(id) => choices.find((choice) => choice.surveyId === id)?.name ?? id}
          />
        ) : (
          choices.length >= 2 && !issues.length && <p>{ui.pick}</p>
        )}
      </div>,
      200,
    );
  });
  return app;
}
