import { mkdirSync } from 'node:fs';
import { type ServerType, serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium } from '../setup/chromium.js';
import { loadSurveyFile as loadDefinition, publishWithDemo } from '../setup/demo-surveys.js';
import { reportAppWith } from '../setup/report-app.js';
import { json } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

describe('regional comparison in a browser', () => {
  const recklinghausen = loadDefinition('surveys/handwerk-recklinghausen.yaml');
  const unna = loadDefinition('surveys/handwerk-unna.yaml');
  const bottrop = loadDefinition('surveys/reallabor-handwerk-bottrop.yaml');
  const emscherLippe = loadDefinition('surveys/unternehmensbefragung-emscher-lippe.yaml');
  const campaigns = [recklinghausen.campaign.id, unna.campaign.id];
  /** A lead of the region's four campaigns. */
  const region = [...campaigns, bottrop.campaign.id, emscherLippe.campaign.id];
  let browser: Browser;
  let server: ServerType;
  let base = '';
  let report: ReturnType<typeof reportAppWith>;
  const cspErrors: string[] = [];

  /** A lead signed in through the one-click link, on the console home. */
  async function signedIn(width: number, leads = campaigns): Promise<Page> {
    const context = await browser.newContext({ locale: 'de-DE', viewport: { width, height: 900 } });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
    });
    await page.goto(`${base}/reports/signin#token=${await report.token(['lead'], leads)}`);
    await page.waitForURL(`${base}/console`);
    return page;
  }

  async function audit(page: Page, label: string): Promise<void> {
    expect(await axeViolations(page, label)).toEqual([]);
  }

  /** The page does not scroll sideways: what is wider than the window is a bug on a phone. */
  const scrollsSideways = (page: Page) =>
    page.evaluate<boolean>('document.documentElement.scrollWidth > document.documentElement.clientWidth');

  beforeAll(async () => {
    const db = await freshTable();
    for (const [definition, seed, count] of [
      [recklinghausen, 11, 700],
      [unna, 12, 700],
      [bottrop, 13, 700],
      [emscherLippe, 14, 200],
    ] as const) {
      await publishWithDemo(db, definition, count, seed);
    }
    report = reportAppWith(db, { mode: 'token' });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: report.app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
        base = `http://127.0.0.1:${info.port}`;
        resolve(s);
      });
    });
    browser = await launchChromium();
    mkdirSync('test-results', { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    expect(cspErrors).toEqual([]);
  });

  it('lets a lead of both campaigns compare Recklinghausen and Unna from the console home on a phone', async () => {
    const page = await signedIn(390);
    await page.getByRole('link', { name: 'Regionalvergleich' }).click();
    await page.waitForURL(`${base}/console/compare`);
    await page.getByRole('heading', { level: 1, name: 'Regionalvergleich' }).waitFor();
    await page.getByRole('checkbox', { name: /Kreis Recklinghausen/ }).check();
    await page.getByRole('checkbox', { name: /Kreis Unna/ }).check();
    await page.getByRole('button', { name: 'Vergleichen' }).click();
    await page.waitForURL(/surveys=handwerk-recklinghausen/);
    await page.locator('#content .report.compare').waitFor();

    // The indicators both ask the public, each a table with a column per region.
    const shared = await page
      .locator('section.compare-indicator')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-indicator')));
    expect(shared).toEqual(expect.arrayContaining(['image_index', 'aided_recognition', 'knows_occupations']));
    expect(shared).not.toContain('parent_recommend');
    const image = page.locator('section.compare-indicator[data-indicator="image_index"]');
    expect(await image.locator('thead').getByRole('columnheader').allTextContents()).toEqual([
      'Welle',
      'Kreis Recklinghausen (Emscher-Lippe)',
      'Kreis Unna',
    ]);
    // Unna asks five of Recklinghausen's eight image items: the page says so.
    expect(await image.getAttribute('data-same-questions')).toBe('false');
    expect(await image.locator('.notice').textContent()).toContain('nicht aus denselben Fragen');
    const did = image.locator('tbody.did');
    expect(await did.getByRole('rowheader').or(did.getByRole('columnheader')).allTextContents()).toEqual([
      'Unterschied in der Veränderung bis zur 1. Folgemessung: Kreis Unna gegenüber Kreis Recklinghausen (Emscher-Lippe)',
      'Unterschied in der Veränderung bis zur 2. Folgemessung: Kreis Unna gegenüber Kreis Recklinghausen (Emscher-Lippe)',
    ]);
    expect(await did.textContent()).toMatch(/p \(Holm-korrigiert\) (< 0,001|= [01],\d{3})/);
    // What the difference is a difference of: each region's own change, in the indicator's unit.
    expect(await did.locator('.own-changes').first().textContent()).toMatch(
      /^Veränderung seit der Nullmessung: Kreis Unna [+-]\d+,\d, Kreis Recklinghausen \(Emscher-Lippe\) [+-]\d+,\d Indexpunkte/,
    );
    // Waves are lined up by place; each region's own wave name stays beside its figure.
    expect(await image.locator('tbody td[data-survey="handwerk-unna"] .own-wave').first().textContent()).toBe(
      'Nullmessung 2026 (vor der Kampagne)',
    );
    const recognition = page.locator('section.compare-indicator[data-indicator="aided_recognition"]');
    expect(await recognition.locator('tbody.did').textContent()).toContain('Prozentpunkte');

    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: 'test-results/compare-phone.png', fullPage: true });
    await audit(page, 'comparison on a phone');
    await page.context().close();
  }, 90_000);

  it('reads the same at 1280 px, in English, and shows a refused selection next to its field', async () => {
    const page = await signedIn(1280);
    await page.goto(`${base}/console/compare?surveys=${recklinghausen.id},${unna.id}&audience=public&lang=en`);
    await page.locator('#content .report.compare').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Regional comparison');
    expect(
      await page.getByText(/^Difference in the change up to Follow-up 1: Kreis Unna against/).count(),
    ).toBeGreaterThan(3);
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: 'test-results/compare-desktop.png', fullPage: true });
    await audit(page, 'comparison at 1280 px');

    // Only Recklinghausen asks multipliers.
    await page.getByRole('combobox', { name: 'Audience' }).selectOption('multiplier');
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL(/audience=multiplier/);
    const error = page.locator('#error-audience');
    await error.waitFor();
    expect(await error.textContent()).toBe('Fewer than two of the chosen surveys ask this audience.');
    expect(await page.locator('#select-audience').getAttribute('aria-describedby')).toBe('error-audience');
    await audit(page, 'refused selection');
    await page.context().close();
  }, 90_000);

  it('lines up Recklinghausen, Unna and Bottrop on a phone and at 1280 px, naming the survey left out', async () => {
    const page = await signedIn(390, region);
    await page.getByRole('link', { name: 'Regionalvergleich' }).click();
    await page.waitForURL(`${base}/console/compare`);
    // All four surveys of the region are offered, each by its region and title.
    await page.locator('fieldset.choices').waitFor();
    expect(await page.locator('fieldset.choices input[type="checkbox"]').count()).toBe(4);
    for (const name of [
      'Kreis Recklinghausen (Emscher-Lippe): Wie sehen Sie das Handwerk?',
      'Kreis Unna: Wie sehen Sie das Handwerk?',
      'Stadt Bottrop: Handwerk in Bottrop: Ihre Sicht',
    ]) {
      await page.getByRole('checkbox', { name, exact: true }).check();
    }
    await page.getByRole('button', { name: 'Vergleichen' }).click();
    await page.waitForURL(/reallabor-handwerk-bottrop/);
    await page.locator('#content .report.compare').waitFor();

    const image = page.locator('section.compare-indicator[data-indicator="image_index"]');
    expect(await image.locator('thead').getByRole('columnheader').allTextContents()).toEqual([
      'Welle',
      'Kreis Recklinghausen (Emscher-Lippe)',
      'Kreis Unna',
      'Stadt Bottrop',
    ]);
    // Three columns do not fit a phone: each wave stacks its regions, each figure named.
    expect(await image.locator('table').getAttribute('class')).toBe('compare-table stack');
    const followUp = image.locator('tbody tr[data-slot="follow-up 1"]');
    expect(await followUp.locator('td[data-survey="reallabor-handwerk-bottrop"] .own-wave').textContent()).toBe(
      'Zwischenmessung 2027',
    );
    expect(await followUp.locator('td .estimate').count()).toBe(3);
    // Unna asks five of the eight items, Bottrop all eight as Recklinghausen does: each difference says so.
    const pairs = await image
      .locator('tbody.did td .pair-questions')
      .evaluateAll((els) => els.map((e) => e.classList.contains('differ')));
    expect(pairs.filter((differ) => !differ)).toHaveLength(2);
    expect(pairs.filter((differ) => differ)).toHaveLength(4);
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: 'test-results/compare-three-phone.png', fullPage: true });
    await audit(page, 'three regions on a phone');
    await page.context().close();

    const wide = await signedIn(1280, region);
    await wide.goto(
      `${base}/console/compare?surveys=${[recklinghausen, unna, bottrop, emscherLippe].map((d) => d.id).join(',')}&audience=public`,
    );
    await wide.locator('#content .report.compare').waitFor();
    expect(await wide.locator('#content .report.compare > .notice').textContent()).toBe(
      'Nicht im Vergleich, weil sie diese Zielgruppe nicht befragen: „Modellkommunen Emscher-Lippe: Wie zufrieden sind Sie mit Ihrer Verwaltung?“.',
    );
    const wideImage = wide.locator('section.compare-indicator[data-indicator="image_index"]');
    expect(await wideImage.locator('tbody:not(.did) tr[data-slot]').count()).toBe(3);
    expect(await wideImage.locator('tbody td[data-survey]').count()).toBe(9);
    expect(await scrollsSideways(wide)).toBe(false);
    await wide.screenshot({ path: 'test-results/compare-three-desktop.png', fullPage: true });
    await audit(wide, 'three regions at 1280 px');
    await wide.context().close();
  }, 120_000);

  it('weights each survey to its own population when asked, testing every difference with z', async () => {
    const res = await report.app.request(`/api/v1/compare?surveys=${recklinghausen.id},${unna.id}&weighted=true`, {
      headers: { authorization: `Bearer ${await report.token(['lead'], campaigns)}` },
    });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.weighted).toBe(true);
    const image = body.indicators.find((i: { id: string }) => i.id === 'image_index');
    expect(image.waves[0].figures[0].nEff).toBeGreaterThan(0);
    // Both surveys have a baseline and two follow-ups: one difference per follow-up.
    expect(image.differences.map((d: { test: string }) => d.test)).toEqual(['did-z', 'did-z']);
  });

  it('offers a lead of one campaign nothing to compare', async () => {
    const page = await signedIn(1280, [unna.campaign.id]);
    await page.getByRole('heading', { name: 'Wie sehen Sie das Handwerk?' }).waitFor();
    expect(await page.getByRole('link', { name: 'Regionalvergleich' }).count()).toBe(0);
    await page.goto(`${base}/console/compare?surveys=${recklinghausen.id},${unna.id}`);
    await page.locator('#problem').waitFor();
    expect(await page.locator('#problem').textContent()).toContain('Kein Zugriff');
    expect(await page.locator('#content').textContent()).toBe('');
    await page.context().close();
  });
});
