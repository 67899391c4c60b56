import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import * as z from 'zod';
import { type ExportRecord, listExportRecords } from '../../shared/data/export-store.js';
import { settleAbandoned } from '../../shared/export/jobs.js';
import { exportDefaults } from '../../shared/export/profile.js';
import { Code, type SurveyDefinition } from '../../shared/survey/schema.js';
import { problemEntry } from '../admin/route-kit.js';
import { requireRole } from '../lib/auth.js';
import type { AuthEnv } from '../lib/authenticate.js';
import { type ConsoleText, consoleText } from '../lib/console-i18n.js';
import { localTime } from '../lib/local-time.js';
import { validationHook } from '../lib/validation.js';
import { type Lang, langFrom } from '../respond/pages/i18n.js';
import type { ExportDeps } from './deps.js';

const route = createRoute({
  method: 'get',
  path: '/api/v1/surveys/{surveyId}/exports/console',
  tags: ['evaluator'],
  summary: 'The evaluator’s export page as an HTML fragment: start an export, follow it, download its files',
  security: [{ bearer: [] }],
  request: { params: z.object({ surveyId: Code }), query: z.object({ lang: z.enum(['de', 'en']).optional() }) },
  responses: {
    200: { description: 'The fragment', content: { 'text/html': { schema: z.string() } } },
    401: problemEntry('No valid bearer token'),
    403: problemEntry('Not an evaluator of this campaign'),
    404: problemEntry('No such survey'),
  },
});

/** One earlier export: who (you or another evaluator), when, with what protection, and its files. */
function ExportItem(props: { record: ExportRecord; mine: boolean; lang: Lang; t: ConsoleText }) {
  const { record: r, mine, lang, t } = props;
  const base = `/api/v1/surveys/${encodeURIComponent(r.surveyId)}/exports/${r.exportId}`;
  return (
    <li class="card">
      <h3>
        {localTime(r.requestedAt, lang)} · {t.exportStates[r.status]}
      </h3>
      <dl class="facts">
        <dt>{t.requestedBy}</dt>
        <dd>{mine ? t.you : t.otherEvaluator}</dd>
        <dt>{t.format}</dt>
        <dd>{t.formats[r.format]}</dd>
        <dt>{t.protection}</dt>
        <dd>
          k = {r.profile.k}, {t.periods[r.profile.period]}, {t.freeTexts[r.profile.freeText]}
        </dd>
        {r.rows !== undefined && (
          <>
            <dt>{t.rows}</dt>
            <dd>{r.rows}</dd>
          </>
        )}
        {r.error && (
          <>
            <dt>{t.problem}</dt>
            <dd>{r.error}</dd>
          </>
        )}
      </dl>
      {r.status === 'done' && (r.files ?? []).length > 0 && (
        <ul class="files" aria-label={t.files}>
          {(r.files ?? []).map((name) => (
            <li>
              <a href={`${base}/files/${name}?as=link`} data-download={`${r.surveyId}-${name}`} data-accept="*/*">
                {name}
              </a>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function ExportsFragment(props: { definition: SurveyDefinition; records: ExportRecord[]; sub: string; lang: Lang }) {
  const { definition, records, sub, lang } = props;
  const t = consoleText[lang];
  const floor = exportDefaults(definition);
  const running = records.some((r) => r.status === 'running');
  return (
    <div>
      <p>{t.exportIntro(floor.k)}</p>
      <form
        data-api
        action={`/api/v1/surveys/${encodeURIComponent(definition.id)}/exports`}
        class="stacked"
        id="export-form"
        data-done={t.exportStarted}
      >
        <label for="export-format">{t.format}</label>
        <select id="export-format" name="format">
          {(['csv', 'csv-excel', 'jsonl'] as const).map((f) => (
            <option value={f}>{t.formats[f]}</option>
          ))}
        </select>
        <label for="export-k">k</label>
        <p class="hint" id="export-k-hint">
          {t.kHint(floor.k)}
        </p>
        <input
          id="export-k"
          name="k"
          type="number"
          min={floor.k}
          max={100}
          value={String(floor.k)}
          aria-describedby="export-k-hint"
        />
        <label for="export-period">{t.period}</label>
        <select id="export-period" name="period">
          {(floor.period === 'wave' ? (['wave'] as const) : (['week', 'wave'] as const)).map((p) => (
            <option value={p}>{t.periods[p]}</option>
          ))}
        </select>
        <label for="export-free-text">{t.freeText}</label>
        <select id="export-free-text" name="freeText">
          <option value="exclude">{t.freeTexts.exclude}</option>
          <option value="scrub">{t.freeTexts.scrub}</option>
        </select>
        <input type="hidden" name="lang" value={lang} />
        <button type="submit">{t.startExport}</button>
      </form>
      <h2>{t.earlierExports}</h2>
      {running && <p data-refresh="3000">{t.exportRunning}</p>}
      {records.length === 0 ? (
        <p>{t.noExports}</p>
      ) : (
        <ul class="cards">
          {records.map((record) => (
            <ExportItem record={record} mine={record.requestedBy === sub} lang={lang} t={t} />
          ))}
        </ul>
      )}
    </div>
  );
}

/** The export page of the console, for evaluators of the survey's campaign. */
export function exportConsoleRoutes(deps: ExportDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  app.openapi(route, async (c) => {
    const definition = await deps.catalog.definition(c.req.valid('param').surveyId);
    requireRole(c.var.claims, 'evaluator', definition.campaign.id);
    const now = deps.now();
    const records = await Promise.all(
      (await listExportRecords(deps.db, definition.id)).map((r) => settleAbandoned(deps.db, r, now)),
    );
    records.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
    const lang = langFrom(c.req.valid('query').lang);
    c.header('Cache-Control', 'no-store');
    return c.html(
      <ExportsFragment definition={definition} records={records} sub={c.var.claims.sub} lang={lang} />,
      200,
    );
  });
  return app;
}
