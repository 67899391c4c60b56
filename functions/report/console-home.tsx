import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { accepts } from 'hono/accepts';
import * as z from 'zod';
import { readCells } from '../../shared/data/aggregate-store.js';
import { listSurveys } from '../../shared/data/survey-store.js';
import { shown } from '../../shared/fieldwork/report.js';
import { ALL_CAMPAIGNS, type Claims, type Role } from '../lib/auth.js';
import type { AuthEnv } from '../lib/authenticate.js';
import { CONSOLE_PAGES, type ConsolePage, consoleText } from '../lib/console-i18n.js';
import { Problem } from '../lib/problem-schema.js';
import { type Lang, langFrom } from '../respond/pages/i18n.js';
import type { ReportDeps } from './deps.js';
import { compareUi } from './pages/compare-i18n.js';

const HomeSurvey = z.object({
  surveyId: z.string(),
  title: z.object({ de: z.string(), en: z.string() }),
  version: z.string(),
  campaign: z.object({ id: z.string(), name: z.object({ de: z.string(), en: z.string() }) }),
  openWave: z.object({ id: z.string(), label: z.object({ de: z.string(), en: z.string() }) }).nullable(),
  /** Responses stored today (UTC day) in the open wave; null where fewer than minCellSize. */
  today: z.number().int().nullable(),
  minCellSize: z.number().int(),
  /** Console pages and reports the caller's roles open, as paths. */
  links: z.array(z.object({ page: z.string(), href: z.string() })),
});
const Home = z
  .object({
    roles: z.array(z.string()),
    surveys: z.array(HomeSurvey),
    compare: z.string().nullable().meta({
      description: 'the regional comparison page, when the caller leads or administers two surveys or more',
    }),
  })
  .meta({ id: 'ConsoleHome' });
type Home = z.infer<typeof Home>;

const route = createRoute({
  method: 'get',
  path: '/api/v1/reports/console',
  tags: ['lead'],
  summary: 'The surveys of the caller’s campaigns with the open wave, today’s responses and what their roles open',
  security: [{ bearer: [] }],
  request: { query: z.object({ lang: z.enum(['de', 'en']).optional() }) },
  responses: {
    200: {
      description: 'The console home, as JSON or as the HTML fragment the page shows',
      content: { 'application/json': { schema: Home }, 'text/html': { schema: z.string() } },
    },
    401: { description: 'No valid bearer token', content: { 'application/problem+json': { schema: Problem } } },
  },
});

/** What each role opens, in the order the home lists it. */
const LINKS: { page: ConsolePage | 'fieldwork' | 'dashboard'; roles: Role[]; href: (id: string) => string }[] = [
  { page: 'dashboard', roles: ['lead', 'admin'], href: (id) => `/dashboard/${id}` },
  { page: 'fieldwork', roles: ['lead', 'admin'], href: (id) => `/reports/${id}/fieldwork` },
  ...CONSOLE_PAGES.map((page) => ({
    page,
    roles: (page === 'data' ? ['evaluator'] : ['admin']) as Role[],
    href: (id: string) => `/console/${id}/${page}`,
  })),
];

const inScope = (claims: Claims, campaignId: string) =>
  claims.campaigns.includes(ALL_CAMPAIGNS) || claims.campaigns.includes(campaignId);

async function homeOf(deps: ReportDeps, claims: Claims, now: Date): Promise<Home> {
  const pointers = (await listSurveys(deps.db)).filter((p) => inScope(claims, p.campaignId));
  const day = `@day#${now.toISOString().slice(0, 10)}`;
  const surveys = await Promise.all(
    pointers.map(async (pointer) => {
      const definition = await deps.catalog.definition(pointer.surveyId);
      const state = await deps.catalog.openWave(definition.id, now);
      const wave = state && definition.waves.find((w) => w.id === state.waveId);
      let today = 0;
      if (wave) {
        const cells = await readCells(deps.db, definition.id, wave.id, definition.settings.aggregateShards, [day]);
        for (const counters of cells.values()) today += counters[day] ?? 0;
      }
      const k = definition.settings.minCellSize;
      return {
        surveyId: definition.id,
        title: definition.title,
        version: definition.version,
        campaign: { id: definition.campaign.id, name: definition.campaign.name },
        openWave: wave ? { id: wave.id, label: wave.label } : null,
        today: shown(today, k),
        minCellSize: k,
        links: LINKS.filter((l) => l.roles.some((r) => claims.roles.includes(r))).map((l) => ({
          page: l.page,
          href: l.href(encodeURIComponent(definition.id)),
        })),
      };
    }),
  );
  // The comparison needs lead or admin for every survey compared (the role applies to all campaigns in scope).
  const compares = claims.roles.includes('lead') || claims.roles.includes('admin');
  return { roles: claims.roles, surveys, compare: compares && surveys.length >= 2 ? '/console/compare' : null };
}

function HomeFragment({ home, lang }: { home: Home; lang: Lang }) {
  const t = consoleText[lang];
  const suffix = lang === 'en' ? '?lang=en' : '';
  const campaigns = [...new Set(home.surveys.map((s) => s.campaign.id))];
  return (
    <div class="console-home">
      <p>{t.homeIntro}</p>
      <p>
        {t.yourRoles}: {home.roles.map((r) => t.roleNames[r as Role] ?? r).join(', ')}
      </p>
      {home.surveys.length === 0 && <p class="notice">{t.noSurveys}</p>}
      {home.compare && (
        <p class="compare-link">
          <a href={`${home.compare}${suffix}`}>{compareUi[lang].homeLink}</a>
          <span class="hint"> – {compareUi[lang].homeHint}</span>
        </p>
      )}
      {campaigns.map((campaignId) => {
        const surveys = home.surveys.filter((s) => s.campaign.id === campaignId);
        return (
          <section aria-labelledby={`campaign-${campaignId}`}>
            <h2 id={`campaign-${campaignId}`}>
              {t.campaign}: {surveys[0]?.campaign.name[lang]}
            </h2>
            {surveys.map((s) => (
              <article class="card" aria-labelledby={`survey-${s.surveyId}`}>
                <h3 id={`survey-${s.surveyId}`}>{s.title[lang]}</h3>
                <dl class="facts">
                  <dt>{t.version}</dt>
                  <dd>
                    <code>{s.surveyId}</code> v{s.version}
                  </dd>
                  <dt>{t.openWave}</dt>
                  <dd>{s.openWave ? s.openWave.label[lang] : t.noOpenWave}</dd>
                  {s.openWave && (
                    <>
                      <dt>{t.today}</dt>
                      <dd>{s.today === null ? t.fewer(s.minCellSize) : String(s.today)}</dd>
                    </>
                  )}
                </dl>
                <ul class="links">
                  {s.links.map((l) => (
                    <li>
                      <a href={`${l.href}${suffix}`}>{t.pages[l.page as ConsolePage]}</a>
                      <span class="hint"> – {t.pageHints[l.page as ConsolePage]}</span>
                    </li>
                  ))}
                </ul>
              </article>
            ))}
          </section>
        );
      })}
    </div>
  );
}

/** The console home: every signed-in role gets it, showing only the surveys of their campaigns. */
export function consoleHomeRoutes(deps: ReportDeps) {
  const app = new OpenAPIHono<AuthEnv>();
  app.openapi(route, async (c) => {
    const home = await homeOf(deps, c.var.claims, deps.now());
    const type = accepts(c, {
      header: 'Accept',
      supports: ['application/json', 'text/html'],
      default: 'application/json',
    });
    c.header('Vary', 'Accept');
    c.header('Cache-Control', 'no-store');
    if (type === 'text/html') return c.html(<HomeFragment home={home} lang={langFrom(c.req.query('lang'))} />, 200);
    return c.json(home, 200);
  });
  return app;
}
