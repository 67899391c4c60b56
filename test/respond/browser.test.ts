import { mkdirSync, readFileSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { type ServerType, serve } from '@hono/node-server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanResponses } from '../../shared/data/response-store.js';
import type { Db } from '../../shared/data/table.js';
import { formatFileIssues, parseSurveyFile } from '../../shared/survey/parse-file.js';
import { launchChromium, WCAG_TAGS } from '../setup/chromium.js';
import { respondAppWith } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

const SURVEY_FILE = 'surveys/handwerk-recklinghausen.yaml';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const THANKS = 'Vielen Dank!';

interface Finding {
  page: string;
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

function loadDefinition() {
  const parsed = parseSurveyFile(SURVEY_FILE, readFileSync(SURVEY_FILE, 'utf8'));
  if (!parsed.ok) throw new Error(formatFileIssues(parsed));
  return parsed.definition;
}

/** Answers every question on the page: the middle of a scale, else the first option, short texts. */
async function fillPage(page: Page): Promise<void> {
  for (const group of await page.locator('fieldset.question').all()) {
    const radios = group.locator('input[type="radio"]');
    const middle = group.locator('input[type="radio"][value="3"]');
    if ((await middle.count()) > 0) await middle.check();
    else if ((await radios.count()) > 0) await radios.first().check();
    else await group.locator('input[type="checkbox"]').first().check();
  }
  for (const input of await page.locator('.question input[type="number"]').all()) {
    await input.fill((await input.getAttribute('min')) ?? '1');
  }
  for (const input of await page.locator('.question textarea, .question input[type="text"]').all()) {
    await input.fill('Plakat am Bahnhof <b>Recklinghausen</b>');
  }
}

async function next(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^(Weiter|Absenden)$/ }).click();
  await page.waitForLoadState('load');
}

async function h1(page: Page): Promise<string> {
  return ((await page.locator('h1').textContent()) ?? '').trim();
}

describe('respondent pages in a browser', () => {
  const definition = loadDefinition();
  const startUrl = () => `${baseUrl}/s/${definition.id}/public?c=plakat-marl`;
  let db: Db;
  let server: ServerType;
  let baseUrl: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    db = await freshTable();
    const { app } = await respondAppWith(db, definition, 'w0-baseline');
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => resolve(info.port));
    });
    baseUrl = `http://127.0.0.1:${port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('passes axe WCAG 2.1 AA checks on every page, the error state and the thank-you page', async () => {
    // axe runs as a script, so this walk has JavaScript on; the pages themselves have none.
    const context = await browser.newContext({ ...PHONE, locale: 'de-DE' });
    contexts.push(context);
    const page = await context.newPage();
    const findings: Finding[] = [];
    const audited: string[] = [];
    const audit = async (label: string) => {
      const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
      audited.push(label);
      for (const v of result.violations) {
        if (v.impact === 'serious' || v.impact === 'critical') {
          findings.push({
            page: label,
            id: v.id,
            impact: v.impact,
            help: v.help,
            targets: v.nodes.map((n) => n.target.join(' ')),
          });
        }
      }
    };

    await page.goto(startUrl());
    let showedErrors = false;
    for (let i = 0; i < 30 && (await h1(page)) !== THANKS; i++) {
      await audit(await h1(page));
      const requiredHere = (await page.getByText('(Pflichtfrage)').count()) > 0;
      if (i > 0 && requiredHere && !showedErrors) {
        await next(page);
        expect(await page.locator('.error-summary').isVisible()).toBe(true);
        await audit(`${await h1(page)} (errors)`);
        showedErrors = true;
      }
      await fillPage(page);
      await next(page);
    }
    await audit(await h1(page));

    if (findings.length > 0) console.error(JSON.stringify(findings, null, 2));
    expect(await h1(page)).toBe(THANKS);
    expect(showedErrors).toBe(true);
    expect(audited.length).toBeGreaterThanOrEqual(definition.audiences.public?.sections.length ?? 0);
    expect(findings).toEqual([]);
  }, 60_000);

  it('completes the survey on a phone with JavaScript switched off', async () => {
    const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false, locale: 'de-DE' });
    contexts.push(context);
    const page = await context.newPage();
    const before = new Set<string>();
    for await (const r of scanResponses(db, definition.id)) before.add(r.responseId);
    mkdirSync('test-results', { recursive: true });

    await page.goto(startUrl());
    await page.screenshot({ path: 'test-results/respond-consent-phone.png', fullPage: true });
    for (let i = 0; i < 30 && (await h1(page)) !== THANKS; i++) {
      if ((await h1(page)) === 'Ihr Bild vom Handwerk') {
        await page.screenshot({ path: 'test-results/respond-image-phone.png', fullPage: true });
      }
      await fillPage(page);
      await next(page);
    }

    expect(await h1(page)).toBe(THANKS);
    const added = [];
    for await (const response of scanResponses(db, definition.id)) {
      if (!before.has(response.responseId)) added.push(response);
    }
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ channel: 'plakat-marl', consentBy: 'self', audience: 'public' });
    expect(added[0]?.answers).toMatchObject({ city: 'castrop-rauxel', img_modern: 3, aware_unaided: 'yes' });
  }, 60_000);

  it.each(['business', 'multiplier'] as const)(
    'passes axe WCAG 2.1 AA checks on every page of the %s questionnaire in English',
    async (audience) => {
      // These audiences add grade, rating and business widgets the public form does not have.
      const context = await browser.newContext({ ...PHONE, locale: 'en-GB' });
      contexts.push(context);
      const page = await context.newPage();
      const findings: string[] = [];
      await page.goto(`${baseUrl}/s/${definition.id}/${audience}?lang=en`);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      let pages = 0;
      for (; pages < 30 && (await h1(page)) !== 'Thank you!'; pages++) {
        const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
        for (const v of result.violations) {
          if (v.impact === 'serious' || v.impact === 'critical') findings.push(`${await h1(page)}: ${v.id} ${v.help}`);
        }
        await fillPage(page);
        await page.getByRole('button', { name: /^(Next|Submit)$/ }).click();
        await page.waitForLoadState('load');
      }
      expect(await h1(page)).toBe('Thank you!');
      expect(pages).toBeGreaterThanOrEqual(definition.audiences[audience]?.sections.length ?? 99);
      expect(findings).toEqual([]);
    },
    60_000,
  );
});
