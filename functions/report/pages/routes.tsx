import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { Code } from '../../../shared/survey/schema.js';
import { CONSOLE_PAGES, type ConsolePage, consoleText } from '../../lib/console-i18n.js';
import { langFrom } from '../../respond/pages/i18n.js';
import type { SignIn } from '../deps.js';
import { compareUi } from './compare-i18n.js';
import { CONSOLE_ASSETS_PATH, serveConsoleAsset } from './console-assets.js';
import { compareQuery, DashboardShell, dashboardQuery, FieldworkShell, ReportShell, sendConsolePage } from './shell.js';
import { CallbackPage, SignInPage, safeNext } from './sign-in.js';

/**
 * The browser side of the lead pages' CSP: own script and style only, fetches to this origin and,
 * with OIDC, to the token endpoint (the code-for-token exchange runs in the browser).
 */
export function consoleSecureHeaders(signIn: SignIn) {
  const connectSrc = ["'self'", ...(signIn.mode === 'oidc' ? [new URL(signIn.tokenUrl).origin] : [])];
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      connectSrc,
      formAction: ["'self'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
  });
}

/**
 * `/reports/*`: public pages that hold no data (in AWS they sit outside the JWT authorizer, which
 * a browser navigation could not pass). The data comes from the API routes, fetched by the script.
 */
export function consolePages(signIn: SignIn): Hono {
  const app = new Hono();
  app.get(`${CONSOLE_ASSETS_PATH}/console.js`, serveConsoleAsset('console.js'));
  app.get(`${CONSOLE_ASSETS_PATH}/console.css`, serveConsoleAsset('console.css'));
  app.get('/reports/signin', (c) =>
    sendConsolePage(
      c,
      <SignInPage signIn={signIn} next={safeNext(c.req.query('next'))} lang={langFrom(c.req.query('lang'))} />,
    ),
  );
  app.get('/reports/signin/callback', async (c) => {
    if (signIn.mode !== 'oidc') return c.redirect('/reports/signin');
    return sendConsolePage(c, <CallbackPage signIn={signIn} lang={langFrom(c.req.query('lang'))} />);
  });
  app.get('/dashboard/:surveyId', (c) => {
    const surveyId = Code.safeParse(c.req.param('surveyId'));
    if (!surveyId.success) return c.notFound();
    return sendConsolePage(
      c,
      <DashboardShell
        surveyId={surveyId.data}
        lang={langFrom(c.req.query('lang'))}
        query={dashboardQuery(c.req.query())}
      />,
    );
  });
  // The bare prefixes lead to the console's home (in AWS they reach the respondent function, which
  // redirects the same way).
  for (const path of ['/reports', '/reports/', '/dashboard', '/dashboard/', '/console/']) {
    app.get(path, (c) => c.redirect(`/console${c.req.query('lang') === 'en' ? '?lang=en' : ''}`, 302));
  }
  // The campaign console: its home, and one page per admin task of a survey (data from the admin API).
  app.get('/console', (c) => {
    const lang = langFrom(c.req.query('lang'));
    return sendConsolePage(
      c,
      <ReportShell
        lang={lang}
        title={consoleText[lang].homeTitle}
        path="/console"
        api="/api/v1/reports/console"
        home={false}
      />,
    );
  });
  // The regional comparison: its form's checkboxes send `surveys` once per survey, the API takes a list.
  app.get('/console/compare', (c) => {
    const lang = langFrom(c.req.query('lang'));
    return sendConsolePage(
      c,
      <ReportShell
        lang={lang}
        title={compareUi[lang].title}
        path="/console/compare"
        api="/api/v1/reports/console/compare"
        query={compareQuery(c.req.queries('surveys') ?? [], c.req.query())}
      />,
    );
  });
  app.get('/console/:surveyId/:page', (c) => {
    const surveyId = Code.safeParse(c.req.param('surveyId'));
    const page = c.req.param('page') as ConsolePage;
    if (!surveyId.success || !CONSOLE_PAGES.includes(page)) return c.notFound();
    const lang = langFrom(c.req.query('lang'));
    const id = encodeURIComponent(surveyId.data);
    const query = Object.fromEntries(
      Object.entries(c.req.query()).filter(([key, value]) => key === 'code' && /^[a-z0-9_-]{1,48}$/.test(value)),
    );
    return sendConsolePage(
      c,
      <ReportShell
        surveyId={surveyId.data}
        lang={lang}
        title={consoleText[lang].pages[page]}
        path={`/console/${id}/${page}`}
        api={page === 'data' ? `/api/v1/surveys/${id}/exports/console` : `/api/v1/admin/surveys/${id}/console/${page}`}
        query={query}
      />,
    );
  });
  app.get('/reports/:surveyId/fieldwork', (c) => {
    const surveyId = Code.safeParse(c.req.param('surveyId'));
    if (!surveyId.success) return c.notFound();
    return sendConsolePage(c, <FieldworkShell surveyId={surveyId.data} lang={langFrom(c.req.query('lang'))} />);
  });
  return app;
}
