import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../functions/lib/config.js';
import { signInFrom } from '../../functions/report/deps.js';
import { consoleAssetHref } from '../../functions/report/pages/console-assets.js';
import { safeNext } from '../../functions/report/pages/sign-in.js';
import { REPORT_CAMPAIGN, reportAppWith } from '../setup/report-app.js';
import { json } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

const OIDC = {
  mode: 'oidc',
  authorizeUrl: 'https://auth.example.org/oauth2/authorize',
  tokenUrl: 'https://auth.example.org/oauth2/token',
  clientId: 'client-1',
} as const;

/** The value of one attribute on <body>, as the page's script will read it. */
const bodyAttribute = (html: string, name: string) =>
  new RegExp(`<body[^>]* ${name}="([^"]*)"`).exec(html)?.[1]?.replaceAll('&amp;', '&');

describe('lead pages', () => {
  let db: Awaited<ReturnType<typeof freshTable>>;
  beforeAll(async () => {
    db = await freshTable();
  });

  it('serves the fieldwork shell without data, uncached, with a strict CSP', async () => {
    const res = await reportAppWith(db).app.request('/reports/mini/fieldwork?lang=en');
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'self'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    expect(html).toContain('<meta name="robots" content="noindex"/>');
    expect(html).toContain('<noscript>');
    expect(html).not.toMatch(/<script>|<style|style="/);
    expect(html).toContain(`<script src="${consoleAssetHref('console.js')}" defer=""></script>`);
    expect(bodyAttribute(html, 'data-fragment')).toBe('/api/v1/surveys/mini/fieldwork?lang=en');
    expect(bodyAttribute(html, 'data-signin')).toBe(
      '/reports/signin?next=%2Freports%2Fmini%2Ffieldwork%3Flang%3Den&lang=en',
    );
  });

  it('answers 404 for a survey id that cannot exist', async () => {
    expect((await reportAppWith(db).app.request('/reports/NOT..valid/fieldwork')).status).toBe(404);
  });

  it('keeps "next" on this site under /reports/ and drops anything else', () => {
    expect(safeNext('/reports/mini/fieldwork?lang=en')).toBe('/reports/mini/fieldwork?lang=en');
    for (const evil of [
      undefined,
      '',
      'https://evil.example/reports/x',
      '//evil.example/reports/x',
      '/\\evil.example/reports/x',
      '/reports/../api/v1/x',
      '/reports/%2e%2e/api',
      '/api/v1/reports/me',
      'javascript:alert(1)//reports/',
      '/reports/x\nLocation: //evil',
    ]) {
      expect(safeNext(evil), String(evil)).toBe('');
    }
  });

  it('renders the token sign-in form with a safe next, and no form field that could carry the token', async () => {
    const res = await reportAppWith(db).app.request('/reports/signin?next=//evil.example/');
    const html = await res.text();
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(bodyAttribute(html, 'data-next')).toBe('');
    expect(bodyAttribute(html, 'data-mode')).toBe('token');
    expect(html).toContain('<textarea id="token"');
    expect(html).not.toMatch(/<textarea[^>]* name=/);
    const good = await (
      await reportAppWith(db).app.request('/reports/signin?next=%2Freports%2Fmini%2Ffieldwork')
    ).text();
    expect(bodyAttribute(good, 'data-next')).toBe('/reports/mini/fieldwork');
  });

  it('sends OIDC settings to the script and lets it reach the token endpoint only', async () => {
    const { app } = reportAppWith(db, OIDC);
    const res = await app.request('/reports/signin');
    const html = await res.text();
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self' https://auth.example.org");
    expect(bodyAttribute(html, 'data-authorize-url')).toBe(OIDC.authorizeUrl);
    expect(bodyAttribute(html, 'data-token-url')).toBe(OIDC.tokenUrl);
    expect(bodyAttribute(html, 'data-client-id')).toBe(OIDC.clientId);
    expect(html).toContain('id="oidc-start"');
    expect((await app.request('/reports/signin/callback?code=c&state=s')).status).toBe(200);
  });

  it('says sign-in is not configured when there is no way in', async () => {
    const { app } = reportAppWith(db, { mode: 'none' });
    const html = await (await app.request('/reports/signin')).text();
    expect(html).toContain('Die Anmeldung ist für diese Installation nicht eingerichtet');
    expect(html).not.toContain('<textarea');
    const callback = await app.request('/reports/signin/callback');
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/reports/signin');
  });

  it('serves script and stylesheet with a long cache for the current version only', async () => {
    const { app } = reportAppWith(db);
    for (const name of ['console.js', 'console.css'] as const) {
      const current = await app.request(consoleAssetHref(name));
      expect(current.status).toBe(200);
      expect(current.headers.get('cache-control')).toContain('immutable');
      const stale = await app.request(`/reports/assets/${name}?v=old`);
      expect(stale.headers.get('cache-control')).toBe('public, max-age=300');
    }
    const js = await (await app.request(consoleAssetHref('console.js'))).text();
    expect(js).not.toContain('localStorage');
  });

  it('tells a signed-in caller who they are, and 401 without a token', async () => {
    const { app, token } = reportAppWith(db);
    expect((await app.request('/api/v1/reports/me')).status).toBe(401);
    const res = await app.request('/api/v1/reports/me', {
      headers: { authorization: `Bearer ${await token(['lead'])}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await json(res)).toEqual({ sub: 'lead@example.org', roles: ['lead'], campaigns: [REPORT_CAMPAIGN] });
  });
});

describe('OIDC configuration', () => {
  const base = { TABLE_NAME: 't' };
  const oidc = {
    OIDC_AUTHORIZE_URL: OIDC.authorizeUrl,
    OIDC_TOKEN_URL: OIDC.tokenUrl,
    OIDC_CLIENT_ID: OIDC.clientId,
  };

  it('turns on OIDC sign-in when all three variables are set, and none without them', () => {
    expect(signInFrom(readConfig({ ...base, ...oidc }))).toEqual(OIDC);
    expect(signInFrom(readConfig(base))).toEqual({ mode: 'none' });
  });

  it('refuses some of the variables without the others, and a token URL that is not one', () => {
    expect(() => readConfig({ ...base, OIDC_CLIENT_ID: 'x' })).toThrow(ConfigError);
    try {
      readConfig({ ...base, OIDC_CLIENT_ID: 'x', OIDC_TOKEN_URL: 'ftp://nope' });
    } catch (error) {
      expect((error as ConfigError).problems.join('\n')).toMatch(/OIDC_AUTHORIZE_URL is required[\s\S]*OIDC_TOKEN_URL/);
    }
    expect.assertions(2);
  });
});
