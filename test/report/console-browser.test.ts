import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import jsqr from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DEV_AUDIENCE, DEV_ISSUER, mintDevToken } from '../../local/dev-token.js';
import { createLocalApp } from '../../local/server.js';
import { listChannels } from '../../shared/data/channel-store.js';
import { listBatches } from '../../shared/data/invitation-store.js';
import { ensureRetention } from '../../shared/data/response-retention.js';
import { getDefinition, listWaveStates, publishDefinition, setWaveState } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import { miniInvitedSurvey } from '../fixtures/mini-survey.js';
import { axeViolations, launchChromium } from '../setup/chromium.js';
import { localRuntime } from '../setup/local-runtime.js';
import { freshTable } from '../setup/table.js';

const jsQR = jsqr.default;
const PUBLIC_BASE = 'https://umfrage.testkreis.example';
const miniSurvey = miniInvitedSurvey;
const CAMPAIGN = miniSurvey.campaign.id;

/** Version 2 of the mini survey (with its business audience): one more image question for the public. */
function versionTwo(): string {
  const input = structuredClone(miniInvitedSurvey) as unknown as {
    audiences: { public: { sections: { id: string; questions: Record<string, unknown>[] }[] } };
  };
  const image = input.audiences.public.sections.find((s) => s.id === 'image');
  image?.questions.push({
    id: 'img_fair',
    type: 'likert',
    label: { de: 'fair', en: 'fair' },
    indicator: 'image_index',
  });
  return stringify({ ...input, version: '2' });
}

describe('campaign console in a browser', () => {
  let db: Db & { endpoint: string };
  let browser: Browser;
  let server: ServerType;
  let base: string;
  const devKey = new Uint8Array(randomBytes(32));
  const token = (roles: ('admin' | 'lead' | 'evaluator')[], campaigns = [CAMPAIGN]) =>
    mintDevToken({ sub: `tester-${roles.join('-')}`, roles, campaigns }, devKey, {
      ttl: '1h',
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
    });
  const cspErrors: string[] = [];
  /** What the pages asked before acting (confirm dialogs), in order. */
  const dialogs: string[] = [];

  async function signedIn(
    roles: ('admin' | 'lead' | 'evaluator')[],
    campaigns?: string[],
    width = 1280,
  ): Promise<Page> {
    const context = await browser.newContext({
      locale: 'de-DE',
      viewport: { width, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    await page.goto(`${base}/reports/signin#token=${await token(roles, campaigns)}`);
    await page.waitForURL(`${base}/console`);
    return page;
  }

  async function audit(page: Page, label: string): Promise<void> {
    expect(await axeViolations(page, label)).toEqual([]);
  }

  async function download(page: Page, click: () => Promise<void>): Promise<Buffer> {
    const [file] = await Promise.all([page.waitForEvent('download'), click()]);
    const path = await file.path();
    return readFileSync(path);
  }

  beforeAll(async () => {
    db = await freshTable();
    await publishDefinition(db, miniSurvey);
    await ensureRetention(db, miniSurvey);
    await setWaveState(db, miniSurvey.id, { waveId: 'w0', state: 'open' });
    const app = createLocalApp(localRuntime(db), {
      devKey,
      exportDir: mkdtempSync(join(tmpdir(), 'resonanz-console-')),
      publicBaseUrl: PUBLIC_BASE,
    });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
        base = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('leads an admin from the home through checking, fixing and publishing a survey file', async () => {
    const page = await signedIn(['admin']);
    await page.getByRole('heading', { name: 'Mini-Umfrage' }).waitFor();
    await page.screenshot({ path: 'test-results/console-home.png', fullPage: true });
    await audit(page, 'home');

    await page.getByRole('link', { name: 'Fragebogen' }).click();
    await page.waitForURL(`${base}/console/mini/definition`);
    await page.getByLabel('Umfragedatei (YAML)').waitFor();
    // A broken file: two problems, each shown with its line.
    const broken = versionTwo()
      .replace(/^version: .*$/m, 'version: zwei')
      .replace('type: likert', 'type: likertt');
    const lines = broken.split('\n');
    const lineOf = (needle: string) => String(lines.findIndex((l) => l.includes(needle)) + 1);
    await page.getByLabel('Umfragedatei (YAML)').fill(broken);
    await page.getByRole('button', { name: 'Prüfen' }).click();
    const problems = page.getByRole('heading', { name: 'Die Datei hat 2 Probleme' });
    await problems.waitFor();
    const rows = await page.locator('#definition-result tbody tr').allTextContents();
    expect(rows.some((r) => r.startsWith(lineOf('version: zwei')) && r.includes('version'))).toBe(true);
    expect(rows.some((r) => r.startsWith(lineOf('type: likertt')) && r.includes('.type'))).toBe(true);
    // Each problem shows its line's text (the text field has no line numbers).
    expect(rows.some((r) => r.includes('type: likertt'))).toBe(true);
    await page.screenshot({ path: 'test-results/console-definition-problems.png', fullPage: true });
    await audit(page, 'definition problems');

    // Fixed: valid, and the change is named before anything is published.
    await page.getByLabel('Umfragedatei (YAML)').fill(versionTwo());
    await page.getByRole('button', { name: 'Prüfen' }).click();
    await page.getByRole('heading', { name: 'Die Datei ist gültig (Version 2).' }).waitFor();
    expect(await page.locator('#definition-result').textContent()).toContain('public: img_fair');
    expect((await getDefinition(db, 'mini')).version).toBe('1');
    await page.screenshot({ path: 'test-results/console-definition-valid.png', fullPage: true });

    // The image page of the public, as respondents would get it, with the new question and no way to send.
    const [tab] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('button', { name: 'Vorschau public: 3. Bild' }).click(),
    ]);
    await tab.getByText('Vorschau: so sehen Befragte diese Seite (Abschnitt 3 von 5').waitFor();
    expect(await tab.getByRole('heading', { level: 1 }).textContent()).toBe('Bild');
    expect(await tab.getByRole('group', { name: 'fair' }).count()).toBe(1);
    expect(await tab.getByRole('button', { name: 'Weiter' }).isDisabled()).toBe(true);
    // Styled by the respondent pages' own style sheet, under the console's policy.
    expect(await tab.evaluate("getComputedStyle(document.querySelector('.site-header')).display")).toBe('flex');
    await tab.screenshot({ path: 'test-results/console-preview.png', fullPage: true });
    await tab.close();
    expect((await getDefinition(db, 'mini')).version).toBe('1');

    await page.getByRole('button', { name: 'Veröffentlichen' }).click();
    await page.getByRole('heading', { name: 'Version 2 ist veröffentlicht.' }).waitFor();
    expect((await getDefinition(db, 'mini')).version).toBe('2');
    await page.context().close();
  }, 90_000);

  it('lets an admin open the follow-up wave and print a channel’s QR code for the public address', async () => {
    const page = await signedIn(['admin'], undefined, 390);
    await page.goto(`${base}/console/mini/waves`);
    const followUp = page.getByRole('button', { name: 'Jetzt öffnen: Folgemessung' });
    await followUp.click();
    await page.getByRole('button', { name: 'Schließen: Folgemessung' }).waitFor();
    // Opening it closes the running baseline: the page said so first.
    expect(dialogs.at(-1)).toBe('„Folgemessung“ öffnen? Das schließt die laufende Welle „Nullmessung“.');
    const states = await listWaveStates(db, 'mini');
    expect(states.find((s) => s.waveId === 'w1')?.state).toBe('open');
    expect(states.find((s) => s.waveId === 'w0')?.state).toBe('closed');
    await page.screenshot({ path: 'test-results/console-waves-phone.png', fullPage: true });
    await audit(page, 'waves');

    await page.goto(`${base}/console/mini/channels`);
    await page.getByLabel('Code', { exact: true }).fill('plakat-gamma');
    await page.getByLabel('Bezeichnung (deutsch)').fill('Plakat Gamma');
    // The English label is left empty: it takes the German one.
    await page.getByLabel('Ort').selectOption('beta');
    await page.getByRole('button', { name: 'Kanal anlegen' }).click();
    const card = page.locator('li.card', { has: page.getByRole('heading', { name: /Plakat Gamma/ }) });
    await card.waitFor();
    expect(await card.textContent()).toContain(`${PUBLIC_BASE}/c/mini/plakat-gamma`);
    const [registered] = (await listChannels(db, 'mini')).filter((c) => c.code === 'plakat-gamma');
    expect(registered?.label).toEqual({ de: 'Plakat Gamma', en: 'Plakat Gamma' });
    await audit(page, 'channels');
    const png = PNG.sync.read(await download(page, () => card.getByRole('link', { name: 'QR-Code (PNG)' }).click()));
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(
      `${PUBLIC_BASE}/c/mini/plakat-gamma`,
    );
    const svg = (await download(page, () => card.getByRole('link', { name: 'QR-Code (SVG)' }).click())).toString();
    expect(svg).toMatch(/^<svg/);

    // The printable sheet: the code with the link in words under it.
    await card.getByRole('link', { name: 'Druckbogen' }).click();
    await page.getByText('umfrage.testkreis.example/c/mini/plakat-gamma').waitFor();
    expect(await page.locator('.sheet .qr svg').count()).toBe(1);
    await page.screenshot({ path: 'test-results/console-qr-sheet-phone.png', fullPage: true });
    await page.context().close();
  }, 90_000);

  it('lets an admin create invitations, download the links once, and revoke the batch', async () => {
    const page = await signedIn(['admin']);
    await page.goto(`${base}/console/mini/invitations`);
    await page.getByLabel('Anzahl Links').fill('3');
    // A day that has passed: the message stands next to the field, nothing is created.
    await page.getByLabel('Gültig bis').fill('2020-01-01');
    await page.getByRole('button', { name: /Erzeugen und Serienbrief/ }).click();
    const error = page.locator('#invitation-expires + .field-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('2020-01-01 has passed');
    expect(await page.getByLabel('Gültig bis').getAttribute('aria-invalid')).toBe('true');
    expect(await listBatches(db, 'mini', new Date())).toEqual([]);

    await page.getByLabel('Gültig bis').fill('2099-12-31');
    const csv = (
      await download(page, () => page.getByRole('button', { name: /Erzeugen und Serienbrief/ }).click())
    ).toString();
    const rows = csv.trim().split(/\r?\n/);
    expect(rows[0]).toBe('link');
    expect(rows).toHaveLength(4);
    for (const link of rows.slice(1)) expect(link).toMatch(new RegExp(`^${PUBLIC_BASE}/i/[A-Za-z0-9_-]{20,}$`));
    const card = page.locator('li.card').first();
    await card.getByRole('button', { name: /^Widerrufen/ }).waitFor();
    await audit(page, 'invitations');
    await page.screenshot({ path: 'test-results/console-invitations.png', fullPage: true });
    await card.getByRole('button', { name: /^Widerrufen/ }).click();
    // Revoked: no link of the batch is open, so there is nothing left to revoke.
    await card.getByRole('button', { name: /^Widerrufen/ }).waitFor({ state: 'detached' });
    const [batch] = await listBatches(db, 'mini', new Date());
    expect(batch).toMatchObject({ issued: 3, revoked: 3, open: 0 });
    await page.context().close();
  }, 90_000);

  it('lets an admin set a quota for a town and remove it again', async () => {
    const page = await signedIn(['admin'], undefined, 390);
    await page.goto(`${base}/console/mini/quotas`);
    await page.getByText('Keine Quoten gesetzt.').waitFor();
    await page.getByLabel('Welle').selectOption('w1');
    await page.getByLabel('Zielgruppe').selectOption('public');
    await page.getByLabel('Ort').selectOption('alpha');
    await page.getByLabel('Ziel', { exact: true }).fill('40');
    await page.getByRole('button', { name: 'Quote setzen' }).click();
    const card = page.locator('li.card', { hasText: 'Alpha' });
    await card.waitFor();
    expect(await card.textContent()).toContain('40');
    // No response in the group yet: 0 is shown (it is about nobody); 1 to 9 would read "weniger als 10".
    expect(await card.textContent()).toContain('Erreicht0');
    await audit(page, 'quotas');
    await page.screenshot({ path: 'test-results/console-quotas-phone.png', fullPage: true });
    await card.getByRole('button', { name: 'Entfernen: w1.public.alpha' }).click();
    await page.getByText('Keine Quoten gesetzt.').waitFor();
    await page.context().close();
  }, 60_000);

  it('merges a recipients list with the links in the browser: names never reach the server', async () => {
    const page = await signedIn(['admin']);
    await page.goto(`${base}/console/mini/invitations`);
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/invitations')) sent.push(r.postData() ?? '');
    });
    // A German spreadsheet's export: semicolons, a quoted name with a semicolon and a line break, a formula.
    const list = [
      'Betrieb;Ansprechpartner;Ort',
      '"Tischlerei Kaya; Inh. M. Kaya";"Frau Kaya\nWerkstatt";Unna',
      'Bäckerei Schulte;=HYPERLINK("x");Kamen',
      '',
    ].join('\r\n');
    await page.getByLabel('Empfängerliste (CSV, wahlweise)').setInputFiles({
      name: 'betriebe.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\uFEFF${list}`),
    });
    // Each download is followed by a fresh list and form: wait for that before choosing the next file.
    const createAndReload = async () => {
      await page.evaluate("document.querySelector('#invitation-form').setAttribute('data-before', '')");
      const file = await download(page, () => page.getByRole('button', { name: /Erzeugen und Serienbrief/ }).click());
      await page.locator('#invitation-form:not([data-before])').waitFor();
      return file;
    };
    const csv = (await createAndReload()).toString();
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0] ?? '{}')).toEqual({ audience: 'business', count: 2 });
    const [header, first, ...rest] = csv.split('\r\n');
    // UTF-8 with a byte order mark, which Excel needs to show umlauts.
    expect(header).toBe('\uFEFFBetrieb;Ansprechpartner;Ort;link');
    expect(first).toMatch(
      new RegExp(`^"Tischlerei Kaya; Inh\\. M\\. Kaya";"Frau Kaya\nWerkstatt";Unna;${PUBLIC_BASE}/i/`),
    );
    expect(rest[0]).toMatch(new RegExp(`^Bäckerei Schulte;"'=HYPERLINK\\(""x""\\)";Kamen;${PUBLIC_BASE}/i/`));
    const batches = await listBatches(db, 'mini', new Date());
    expect(batches.some((b) => b.issued === 2)).toBe(true);

    // Excel's plain "CSV" is Windows-1252: the umlauts come through all the same.
    await page.getByLabel('Empfängerliste (CSV, wahlweise)').setInputFiles({
      name: 'betriebe-ansi.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Betrieb;Ort\r\nFleischerei Müller;Lünen\r\n', 'latin1'),
    });
    const ansi = (await createAndReload()).toString('utf8');
    expect(ansi.split('\r\n')[1]).toMatch(new RegExp(`^Fleischerei Müller;Lünen;${PUBLIC_BASE}/i/`));
    expect(sent).toHaveLength(2);

    // A list without rows is refused next to its field, and nothing is sent.
    await page.getByLabel('Empfängerliste (CSV, wahlweise)').setInputFiles({
      name: 'leer.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Betrieb;Ort\r\n'),
    });
    await page.getByRole('button', { name: /Erzeugen und Serienbrief/ }).click();
    await page.locator('#invitation-recipients + .field-error').waitFor();
    expect(sent).toHaveLength(2);
    await page.context().close();
  }, 90_000);

  it('lets an evaluator start an export within the survey’s floor, follow it and download data.csv', async () => {
    const page = await signedIn(['evaluator']);
    await page.getByRole('link', { name: 'Daten exportieren' }).click();
    await page.waitForURL(`${base}/console/mini/data`);
    // The form offers no k below the survey's floor.
    expect(await page.getByLabel('k', { exact: true }).getAttribute('min')).toBe('5');
    await audit(page, 'exports');
    await page.getByRole('button', { name: 'Export starten' }).click();
    const done = page.locator('li.card', { hasText: 'fertig' }).first();
    await done.waitFor({ timeout: 60_000 });
    expect(await done.textContent()).toContain('Ihnen');
    const csv = (await download(page, () => done.getByRole('link', { name: 'data.csv' }).click())).toString();
    expect(csv.split(/\r?\n/)[0]).toMatch(/^row_id,/);
    await page.screenshot({ path: 'test-results/console-exports.png', fullPage: true });
    // The admin sees the record (who, when, protection), never the files.
    const admin = await signedIn(['admin']);
    await admin.goto(`${base}/console/mini/exports`);
    const record = admin.locator('li.card').first();
    await record.waitFor();
    expect(await record.textContent()).toContain('tester-evaluator');
    expect(await admin.getByRole('link', { name: 'data.csv' }).count()).toBe(0);
    await page.context().close();
    await admin.context().close();
  }, 120_000);

  it('shows a lead of another campaign none of it: no survey at home, no data on an admin page', async () => {
    const page = await signedIn(['lead'], ['another-campaign']);
    await page.getByText('Für Ihre Anmeldung ist keine Umfrage veröffentlicht.').waitFor();
    await page.goto(`${base}/console/mini/waves`);
    await page.locator('#problem:not([hidden])').waitFor();
    expect(await page.locator('#problem').textContent()).toMatch(/Kein Zugriff/);
    expect(await page.locator('#content').innerHTML()).toBe('');
    // A lead of the campaign itself gets its reports from the home, but no admin page.
    const lead = await signedIn(['lead']);
    await lead.getByRole('link', { name: 'Feldbericht' }).waitFor();
    expect(await lead.getByRole('link', { name: 'Fragebogen' }).count()).toBe(0);
    await lead.goto(`${base}/console/mini/definition`);
    await lead.locator('#problem:not([hidden])').waitFor();
    expect(await lead.locator('#content').innerHTML()).toBe('');
    expect(cspErrors).toEqual([]);
    await page.context().close();
    await lead.context().close();
  }, 90_000);
});
