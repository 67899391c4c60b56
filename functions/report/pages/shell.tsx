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
    'data-msg-signed-in': ui.signedIn,
    'data-msg-state-mismatch': ui.stateMismatch,
    'data-msg-idp-error': ui.idpError,
    'data-msg-token-failed': ui.tokenExchangeFailed,
    'data-msg-working': ui.callbackWorking,
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

const withLang = (path: string, lang: Lang) => (lang === 'de' ? path : `${path}?lang=${lang}`);

/** Where the sign-in page sends the lead back to after signing in. */
export const signInHref = (next: string, lang: Lang) =>
  `/reports/signin?${new URLSearchParams({ next, ...(lang === 'de' ? {} : { lang }) })}`;

/** The fieldwork page: a shell; the script fetches the report fragment with the lead's token. */
export function FieldworkShell({ surveyId, lang }: { surveyId: string; lang: Lang }) {
  const ui = consoleUi[lang];
  const path = `/reports/${encodeURIComponent(surveyId)}/fieldwork`;
  const fragment = `/api/v1/surveys/${encodeURIComponent(surveyId)}/fieldwork?lang=${lang}`;
  const signIn = signInHref(withLang(path, lang), lang);
  return (
    <ConsoleLayout
      lang={lang}
      title={ui.fieldworkTitle}
      page="report"
      data={{ 'data-fragment': fragment, 'data-signin': signIn }}
      langHref={withLang(path, otherLang(lang))}
      signOutHref={signIn}
    >
      <p>
        {ui.survey}: <code>{surveyId}</code>
      </p>
      <div id="content" />
    </ConsoleLayout>
  );
}
