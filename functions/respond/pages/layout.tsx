import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { HtmlEscapedString } from 'hono/utils/html';
import { siteCssHref } from './assets.js';
import { type Lang, otherLang, ui } from './i18n.js';

interface LayoutProps {
  lang: Lang;
  /** The document title (what a screen reader announces first and a tab shows). */
  title: string;
  /** Shown in the header on every page: the survey's title. */
  siteTitle: string;
  /** The same page in the other language, when a plain link can offer it (nothing to carry). */
  langHref?: string | undefined;
  children?: Child;
}

export function Layout({ lang, title, siteTitle, langHref, children }: LayoutProps) {
  const other = otherLang(lang);
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{title}</title>
        <link rel="stylesheet" href={siteCssHref} />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {ui[lang].skipToContent}
        </a>
        <header class="site-header">
          <p class="site-title">{siteTitle}</p>
          {langHref && (
            <a class="lang-link" href={langHref} lang={other} hreflang={other}>
              {ui[other].languageName}
            </a>
          )}
        </header>
        <main id="main" class="page">
          {children}
        </main>
      </body>
    </html>
  );
}

/**
 * Sends a rendered page. Pages carry answers in hidden fields, so nothing may keep them: no cache,
 * not even the browser's (a shared school computer must not show the last respondent's answers).
 */
export async function sendPage(
  c: Context,
  node: HtmlEscapedString | Promise<HtmlEscapedString>,
  status = 200,
  headers: Record<string, string> = {},
): Promise<Response> {
  const body = await node;
  return c.html(`<!doctype html>${body}`, status as 200, { 'Cache-Control': 'no-store', ...headers });
}
