import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { type ServerType, serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../local/dev-token.js';
import { launchChromium, WCAG_TAGS } from '../setup/chromium.js';
import { PLANTED_LABEL, REPORT_CAMPAIGN, REPORT_SURVEY, reportAppWith, seedFieldwork } from '../setup/report-app.js';
import { freshTable } from '../setup/table.js';

const FIELDWORK = `/reports/${REPORT_SURVEY}/fieldwork`;
const CLIENT_ID = 'lead-console';

type FetchApp = { fetch: (request: Request) => Response | Promise<Response> };

function serveApp(app: FetchApp): Promise<{ server: ServerType; url: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) =>
      resolve({ server, url: `http://127.0.0.1:${info.port}` }),
    );
  });
}

const b64urlSha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/**
 * A stand-in for the Cognito hosted UI: /authorize sends the browser straight back with a code
 * (and the state it got, unless told to forge one); /token hands out an ID token only for a code
 * it issued, the same client and redirect URI, and a verifier matching the S256 challenge.
 */
function fakeIdp(mintIdToken: () => Promise<string>) {
  const grants = new Map<string, { challenge: string; method: string; redirectUri: string; clientId: string }>();
  const idp = { url: '', forgeState: false, issued: 0, refused: 0, server: undefined as Server | undefined };
  const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'content-type' };
  idp.server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', idp.url);
    if (url.pathname === '/authorize') {
      const p = url.searchParams;
      const code = randomUUID();
      grants.set(code, {
        challenge: p.get('code_challenge') ?? '',
        method: p.get('code_challenge_method') ?? '',
        redirectUri: p.get('redirect_uri') ?? '',
        clientId: p.get('client_id') ?? '',
      });
      const back = new URL(p.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', idp.forgeState ? 'forged-state' : (p.get('state') ?? ''));
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (url.pathname === '/token' && req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'POST' }).end();
      return;
    }
    if (url.pathname !== '/token' || req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', async () => {
      const form = new URLSearchParams(body);
      const grant = grants.get(form.get('code') ?? '');
      grants.delete(form.get('code') ?? '');
      const valid =
        grant !== undefined &&
        req.headers['content-type']?.startsWith('application/x-www-form-urlencoded') &&
        form.get('grant_type') === 'authorization_code' &&
        form.get('client_id') === grant.clientId &&
        grant.clientId === CLIENT_ID &&
        form.get('redirect_uri') === grant.redirectUri &&
        grant.method === 'S256' &&
        b64urlSha256(form.get('code_verifier') ?? '') === grant.challenge;
      if (!valid) {
        idp.refused++;
        res.writeHead(400, { ...cors, 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
        return;
      }
      idp.issued++;
      const idToken = await mintIdToken();
      res
        .writeHead(200, { ...cors, 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify({ id_token: idToken, token_type: 'Bearer', expires_in: 3600 }));
    });
  });
  return idp;
}

describe('lead pages in a browser', () => {
  let browser: Browser;
  let tokenBase: string;
  let oidcBase: string;
  let token: ReturnType<typeof reportAppWith>['token'];
  const servers: { close: (done: () => void) => unknown }[] = [];
  let idp: ReturnType<typeof fakeIdp>;
  const cspErrors: string[] = [];

  async function newPage(viewport?: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ locale: 'de-DE', ...(viewport ? { viewport } : {}) });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
    });
    return page;
  }

  async function audit(page: Page, label: string): Promise<void> {
    const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
    const found = result.violations.map(
      (v) => `${label}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
    expect(found).toEqual([]);
  }

  // Page expressions are strings: the test code has no DOM types (tsconfig lib is ES only).
  const storedToken = (page: Page) => page.evaluate<string | null>("sessionStorage.getItem('resonanz.token')");
  const reportShown = (page: Page) => page.locator('caption', { hasText: 'Nullmessung' }).first().waitFor();

  beforeAll(async () => {
    const db = await freshTable();
    await seedFieldwork(db);
    const tokenApp = reportAppWith(db, { mode: 'token' });
    token = tokenApp.token;
    const local = await serveApp(tokenApp.app);
    servers.push(local.server);
    tokenBase = local.url;

    const key = { current: new Uint8Array() };
    idp = fakeIdp(() =>
      mintDevToken({ sub: 'oidc-lead', roles: ['lead'], campaigns: [REPORT_CAMPAIGN] }, key.current, { ttl: '1h' }),
    );
    const idpServer = idp.server as Server;
    await new Promise<void>((resolve) => idpServer.listen(0, '127.0.0.1', resolve));
    idp.url = `http://127.0.0.1:${(idpServer.address() as AddressInfo).port}`;
    servers.push(idpServer);
    const oidcApp = reportAppWith(db, {
      mode: 'oidc',
      authorizeUrl: `${idp.url}/authorize`,
      tokenUrl: `${idp.url}/token`,
      clientId: CLIENT_ID,
    });
    key.current = oidcApp.key;
    const oidc = await serveApp(oidcApp.app);
    servers.push(oidc.server);
    oidcBase = oidc.url;

    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(cspErrors).toEqual([]);
  });

  it('sends a lead without a token to sign-in and back to the report after pasting one', async () => {
    // Prepare
    const page = await newPage();
    // Act: no token yet
    await page.goto(`${tokenBase}${FIELDWORK}`);
    await page.waitForURL(/\/reports\/signin\?/);
    // Assess
    expect(new URL(page.url()).searchParams.get('next')).toBe(FIELDWORK);
    await audit(page, 'sign-in');
    // Act: a wrong token is refused and not kept, a right one is
    await page.getByLabel('Zugangstoken').fill('not-a-token');
    await page.getByRole('button', { name: 'Mit Token anmelden' }).click();
    await page.getByRole('alert').filter({ hasText: 'Das Token wurde nicht angenommen.' }).waitFor();
    expect(await storedToken(page)).toBeNull();
    await page.getByLabel('Zugangstoken').fill(await token(['lead']));
    await page.getByRole('button', { name: 'Mit Token anmelden' }).click();
    await page.waitForURL(`${tokenBase}${FIELDWORK}`);
    await reportShown(page);
    // Assess: the seeded counts, the small cell and the planted label as plain text
    const byChannel = page.getByRole('table', { name: /nach Kanal – Nullmessung/ });
    expect(
      await byChannel
        .getByRole('row', { name: /Plakat Alpha/ })
        .getByRole('cell')
        .last()
        .textContent(),
    ).toBe('12');
    // The 3 without a known channel are hidden, with the smallest other count: one row for both, with
    // what the total less the shown channels gives anyway.
    const together = byChannel.getByRole('row', { name: /übrige Kanäle zusammen/ });
    expect(await together.getByRole('cell').last().textContent()).toBe('14');
    expect(await together.textContent()).toContain('ohne bekannten Kanal');
    expect(await byChannel.getByText('–', { exact: true }).count()).toBe(0);
    expect(await byChannel.getByText(PLANTED_LABEL).count()).toBe(1);
    expect(await page.evaluate<boolean>("'planted' in window")).toBe(false);
    expect(await page.getByText('Angemeldet als lead@example.org (lead)').isVisible()).toBe(true);
    await audit(page, 'fieldwork');
    // Act: sign out, then reload
    await page.getByRole('link', { name: 'Abmelden' }).click();
    await page.waitForURL(/\/reports\/signin\?/);
    expect(await storedToken(page)).toBeNull();
    await page.goto(`${tokenBase}${FIELDWORK}`);
    // Assess
    await page.waitForURL(/\/reports\/signin\?next=/);
  });

  it('shows the collecting wave first with its curve, and fits a phone (390 px)', async () => {
    // Prepare
    const page = await newPage({ width: 390, height: 844 });
    // Act
    await page.goto(`${tokenBase}/reports/signin?next=${encodeURIComponent(FIELDWORK)}#token=${await token(['lead'])}`);
    await page.waitForURL(`${tokenBase}${FIELDWORK}`);
    await reportShown(page);
    // Assess: the wave open now leads, marked in words; its curve has a name and a description
    expect((await page.locator('section.wave h2').allTextContents())[0]).toBe('Welle: Nullmessung läuft gerade');
    const curve = page.getByRole('img', { name: 'Antworten aufsummiert – Nullmessung' });
    expect(await curve.getAttribute('aria-describedby')).toBe('curve-w0-desc');
    expect((await curve.boundingBox())?.width).toBeLessThanOrEqual(390);
    // Nothing scrolls sideways, the tables of counts included.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    const sideways = await page.evaluate<number>(
      "[...document.querySelectorAll('section.wave .table-scroll')].filter((s) => s.scrollWidth > s.clientWidth).length",
    );
    expect(sideways).toBe(0);
    await page.screenshot({ path: 'test-results/fieldwork-390.png', fullPage: true });
    await audit(page, 'fieldwork at 390 px');
  });

  it('signs in from a #token= link and takes the token out of the address bar at once', async () => {
    const page = await newPage();
    const lead = await token(['lead', 'admin'], ['*']);
    await page.goto(`${tokenBase}/reports/signin?next=${encodeURIComponent(`${FIELDWORK}?lang=en`)}#token=${lead}`);
    await page.waitForURL(`${tokenBase}${FIELDWORK}?lang=en`);
    await page.locator('caption', { hasText: 'Baseline' }).first().waitFor();
    expect(await storedToken(page)).toBe(lead);
    // Opened on the sign-in page already showing (only the fragment changes, no reload) and without
    // a next page: on to the console's home, and neither an address nor the history keeps the token.
    const plain = await newPage();
    await plain.goto(`${tokenBase}/reports/signin`);
    await plain.goto(`${tokenBase}/reports/signin#token=${lead}`);
    await plain.waitForURL(`${tokenBase}/console`);
    expect(await storedToken(plain)).toBe(lead);
    // about:blank, the sign-in page, and the token entry replaced in place by the home
    expect(await plain.evaluate<number>('history.length')).toBe(3);
    await plain.goBack();
    expect(plain.url()).toBe(`${tokenBase}/reports/signin`);
  });

  it('shows a clear no-access message for a token of another campaign', async () => {
    const page = await newPage();
    await page.goto(`${tokenBase}/reports/signin?next=${encodeURIComponent(FIELDWORK)}`);
    await page.getByLabel('Zugangstoken').fill(await token(['lead'], ['another-campaign']));
    await page.getByRole('button', { name: 'Mit Token anmelden' }).click();
    await page.waitForURL(`${tokenBase}${FIELDWORK}`);
    await page.getByRole('alert').filter({ hasText: 'Kein Zugriff' }).waitFor();
    expect(await page.locator('table').count()).toBe(0);
  });

  it('signs in through the identity provider with PKCE and shows the report', async () => {
    const page = await newPage();
    await page.goto(`${oidcBase}${FIELDWORK}`);
    await page.waitForURL(/\/reports\/signin\?/);
    await page.getByRole('button', { name: 'Weiter zur Anmeldung' }).click();
    await page.waitForURL(`${oidcBase}${FIELDWORK}`);
    await reportShown(page);
    expect(idp.issued).toBe(1);
    expect(await page.getByText('Angemeldet als oidc-lead (lead)').isVisible()).toBe(true);
    expect(await page.evaluate<string | null>("sessionStorage.getItem('resonanz.oidc')")).toBeNull();
  });

  it('refuses an identity provider answer whose state was tampered with', async () => {
    idp.forgeState = true;
    const page = await newPage();
    await page.goto(`${oidcBase}/reports/signin?next=${encodeURIComponent(FIELDWORK)}`);
    await page.getByRole('button', { name: 'Weiter zur Anmeldung' }).click();
    await page.waitForURL(`${oidcBase}/reports/signin/callback`);
    await page.getByRole('alert').filter({ hasText: 'gehört nicht zu einer Anmeldung' }).waitFor();
    expect(await storedToken(page)).toBeNull();
    expect(idp.issued).toBe(1);
    idp.forgeState = false;
  });
});
