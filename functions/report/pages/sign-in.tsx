import type { Lang } from '../../respond/pages/i18n.js';
import type { SignIn } from '../deps.js';
import { consoleUi } from './i18n.js';
import { ConsoleLayout, isConsolePage } from './shell.js';

const BASE = 'http://base.invalid';

/**
 * Where to go after signing in: a same-origin path under /reports/ or nothing. Parsing against a
 * dummy origin catches "//evil", "/\evil", "/reports/../x" and encoded tricks: whatever does not stay
 * on that origin under /reports/ after normalisation is refused (no open redirect).
 */
export function safeNext(value: string | undefined): string {
  if (!value || !isConsolePage(value) || /[\\\s]/.test(value)) return '';
  try {
    const url = new URL(value, BASE);
    if (url.origin !== BASE || !isConsolePage(url.pathname)) return '';
    return `${url.pathname}${url.search}`;
  } catch {
    return '';
  }
}

/** The settings the script needs for a sign-in mode, as data-* attributes. */
function modeData(signIn: SignIn): Record<string, string> {
  if (signIn.mode !== 'oidc') return { 'data-mode': signIn.mode };
  return {
    'data-mode': 'oidc',
    'data-authorize-url': signIn.authorizeUrl,
    'data-token-url': signIn.tokenUrl,
    'data-client-id': signIn.clientId,
  };
}

function TokenForm({ lang }: { lang: Lang }) {
  const ui = consoleUi[lang];
  // The field has no name on purpose: even without the script, submitting sends nothing, so a
  // token can never end up in a URL query.
  return (
    <form id="token-form" method="get" action="/reports/signin">
      <label for="token">{ui.tokenLabel}</label>
      <p id="token-hint" class="hint">
        {ui.tokenHint}
      </p>
      <textarea id="token" aria-describedby="token-hint" autocomplete="off" spellcheck={false} required />
      <button type="submit">{ui.tokenSubmit}</button>
    </form>
  );
}

export function SignInPage({ signIn, next, lang }: { signIn: SignIn; next: string; lang: Lang }) {
  const ui = consoleUi[lang];
  const other = lang === 'de' ? 'en' : 'de';
  const query = new URLSearchParams({ ...(next ? { next } : {}), ...(other === 'de' ? {} : { lang: other }) });
  return (
    <ConsoleLayout
      lang={lang}
      title={ui.signInTitle}
      page="signin"
      data={{ 'data-next': next, ...modeData(signIn) }}
      langHref={`/reports/signin${query.size > 0 ? `?${query}` : ''}`}
    >
      <p>{ui.signInIntro}</p>
      {signIn.mode === 'token' && <TokenForm lang={lang} />}
      {signIn.mode === 'oidc' && (
        <>
          <p>{ui.oidcIntro}</p>
          <button id="oidc-start" type="button">
            {ui.oidcSubmit}
          </button>
        </>
      )}
      {signIn.mode === 'none' && <p class="notice">{ui.notConfigured}</p>}
    </ConsoleLayout>
  );
}

/** Where the identity provider sends the browser back; the script checks state and swaps the code. */
export function CallbackPage({ signIn, lang }: { signIn: SignIn; lang: Lang }) {
  const ui = consoleUi[lang];
  return (
    <ConsoleLayout lang={lang} title={ui.callbackTitle} page="callback" data={{ 'data-next': '', ...modeData(signIn) }}>
      <p>
        <a href="/reports/signin">{ui.signInTitle}</a>
      </p>
    </ConsoleLayout>
  );
}
