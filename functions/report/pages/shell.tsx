import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { type Lang, otherLang } from '../../respond/pages/i18n.js';
import { consoleAssetHref } from './console-assets.js';
import { consoleUi } from './i18n.js';

/** The script's messages, in the page's language, as data-* attributes (no inline script). */
function messages(lang: Lang): Record<string, string> {
  const ui = consoleUi[lang];
  return {
    'data-msg-loading': ui.loading,
    'data-msg-failed': ui.failed,
    'data-msg-forbidden': ui.forbidden,
    'data-msg-signed-in-as': ui.signedInAs,
    'data-msg-rejected': ui.tokenRejected,
    'data-msg-state-mismatch': ui.stateMismatch,
    'data-msg-idp-error': ui.idpError,
    'data-msg-token-failed': ui.tokenExchangeFailed,
    'data-msg-working': ui.callbackWorking,
    'data-msg-sending': ui.sending,
    'data-msg-saved': ui.saved,
  };
}

interface ConsoleLayoutProps {
  lang: Lang;
  title: string;
  /** Which part of the script runs: report, signin or callback. */
  page: 'report' | 'signin' | 'callback';
  /** Further data-* attributes for the script (URLs, settings; never data). */
  data?: Record<string, string>;
  /** The same page in the other language. */
  langHref?: string;
  /** Where "sign out" leads; shown only on pages behind sign-in. */
  signOutHref?: string;
  children?: Child;
}

/**
 * Every lead page: a shell without report data, the one stylesheet and script, a live status line
 * and a problem box the script fills, and what to do without JavaScript.
 */
export function ConsoleLayout({ lang, title, page, data = {}, langHref, signOutHref, children }: ConsoleLayoutProps) {
  const ui = consoleUi[lang];
  const other = otherLang(lang);
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} – Resonanz`}</title>
        <link rel="stylesheet" href={consoleAssetHref('console.css')} />
        <script src={consoleAssetHref('console.js')} defer />
      </head>
      <body data-page={page} {...messages(lang)} {...data}>
        <a class="skip-link" href="#main">
          {ui.skipToContent}
        </a>
        <header class="site-header">
          <p class="site-title">{ui.siteName}</p>
          <nav class="account" aria-label={ui.accountNav}>
            <span id="signed-in-as" hidden />
            {signOutHref && (
              <a href={signOutHref} data-sign-out>
                {ui.signOut}
              </a>
            )}
            {langHref && (
              <a href={langHref} lang={other} hreflang={other}>
                {consoleUi[other].languageName}
              </a>
            )}
          </nav>
        </header>
        <main id="main" class="page">
          <h1>{title}</h1>
          <noscript>
            <p class="notice">{ui.noscript}</p>
          </noscript>
          <p id="status" role="status" />
          <p id="problem" class="problem" role="alert" hidden />
          {children}
        </main>
      </body>
    </html>
  );
}

/** Pages of the lead console hold no data, but a shared computer's cache need not keep them either. */
export async function sendConsolePage(c: Context, node: unknown): Promise<Response> {
  return c.html(`<!doctype html>${await node}`, 200, { 'Cache-Control': 'no-store' });
}

/** Paths of the lead pages (public shells): they get the page CSP, everything else the API one. */
export const isConsolePage = (path: string) =>
  path.startsWith('/reports/') ||
  path.startsWith('/dashboard/') ||
  path === '/console' ||
  path.startsWith('/console/') ||
  path.startsWith('/console?');

/** Where the sign-in page sends the lead back to after signing in. */
export const signInHref = (next: string, lang: Lang) =>
  `/reports/signin?${new URLSearchParams({ next, ...(lang === 'de' ? {} : { lang }) })}`;

/** The dashboard's selection, passed through to the impact route (which checks it against the survey). */
export function dashboardQuery(raw: Record<string, string>): Record<string, string> {
  const allowed = ['audience', 'city', 'from', 'to', 'adjustment', 'weighted'];
  const query = Object.fromEntries(
    Object.entries(raw).filter(([key, value]) => allowed.includes(key) && /^[a-z0-9_-]{1,48}$/.test(value)),
  );
  // The page's one "comparison" field names both waves ("from~to"): a form cannot send two values
  // from one select, and two selects would let a lead pick half a pair.
  const pair = /^([a-z][a-z0-9_-]{0,47})~([a-z][a-z0-9_-]{0,47})$/.exec(raw.pair ?? '');
  if (pair?.[1] && pair[2]) Object.assign(query, { from: pair[1], to: pair[2] });
  return query;
}

/**
 * The comparison's selection, passed through to its fragment (which checks it): the surveys as one
 * comma-separated list (from repeated checkboxes or a list), audience and weighting.
 */
export function compareQuery(surveys: string[], raw: Record<string, string>): Record<string, string> {
  const ids = surveys
    .flatMap((s) => s.split(','))
    .filter((id) => /^[a-z][a-z0-9_-]{0,47}$/.test(id))
    .slice(0, 12);
  const rest = Object.entries(raw).filter(
    ([key, value]) => ['audience', 'weighted'].includes(key) && /^[a-z0-9_-]{1,48}$/.test(value),
  );
  return { ...(ids.length > 0 ? { surveys: ids.join(',') } : {}), ...Object.fromEntries(rest) };
}

/**
 * A report page: a shell holding no data. The script fetches `api` (with the query and language)
 * as a fragment with the lead's token; sign-in and the other language come back to the same page
 * with the same query.
 */
export function ReportShell(props: {
  /** Named above the content; none on the console home. */
  surveyId?: string;
  lang: Lang;
  title: string;
  path: string;
  api: string;
  query?: Record<string, string>;
  /** A link back to the console home above the content. */
  home?: boolean;
}) {
  const { surveyId, lang, title, path, api, query = {}, home = true } = props;
  const fragment = `${api}?${new URLSearchParams({ ...query, lang })}`;
  const withQuery = (l: Lang) => {
    const search = new URLSearchParams({ ...query, ...(l === 'en' ? { lang: l } : {}) });
    return search.size > 0 ? `${path}?${search}` : path;
  };
  const signIn = signInHref(withQuery(lang), lang);
  return (
    <ConsoleLayout
      lang={lang}
      title={title}
      page="report"
      data={{ 'data-fragment': fragment, 'data-signin': signIn }}
      langHref={withQuery(otherLang(lang))}
      signOutHref={signIn}
    >
      {home && (
        <p class="breadcrumb">
          <a href={lang === 'en' ? '/console?lang=en' : '/console'}>{consoleUi[lang].home}</a>
        </p>
      )}
      {surveyId && (
        <p class="survey-line">
          {consoleUi[lang].survey}: <code>{surveyId}</code>
        </p>
      )}
      <div id="content" />
    </ConsoleLayout>
  );
}

/**
 * The impact dashboard. Its selection (audience, city, weighting) is a plain GET form inside the
 * fragment; the shell hands the query on to the impact route.
 */
export function DashboardShell({
  surveyId,
  lang,
  query,
}: {
  surveyId: string;
  lang: Lang;
  query: Record<string, string>;
}) {
  const id = encodeURIComponent(surveyId);
  return (
    <ReportShell
      surveyId={surveyId}
      lang={lang}
      title={consoleUi[lang].dashboardTitle}
      path={`/dashboard/${id}`}
      api={`/api/v1/surveys/${id}/impact`}
      query={query}
    />
  );
}

/** The fieldwork page. */
export function FieldworkShell({ surveyId, lang }: { surveyId: string; lang: Lang }) {
  const id = encodeURIComponent(surveyId);
  return (
    <ReportShell
      surveyId={surveyId}
      lang={lang}
      title={consoleUi[lang].fieldworkTitle}
      path={`/reports/${id}/fieldwork`}
      api={`/api/v1/surveys/${id}/fieldwork`}
    />
  );
}
