import { mkdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { AxeBuilder } from '@axe-core/playwright';
import { type ServerType, serve } from '@hono/node-server';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoResponses } from '../../local/demo-data.js';
import { seededRandom } from '../../local/random.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import { storeResponse } from '../../shared/response/submit.js';
import { formatFileIssues, parseSurveyFile } from '../../shared/survey/parse-file.js';
import { launchChromium, WCAG_TAGS } from '../setup/chromium.js';
import { reportAppWith } from '../setup/report-app.js';
import { freshTable } from '../setup/table.js';

const SURVEY_FILE = 'surveys/handwerk-recklinghausen.yaml';

/** Pages of a PDF as Chromium writes it: one `/Type /Page` object each (the tree is `/Pages`). */
function pdfPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
}

function loadDefinition() {
  const parsed = parseSurveyFile(SURVEY_FILE, readFileSync(SURVEY_FILE, 'utf8'));
  if (!parsed.ok) throw new Error(formatFileIssues(parsed));
  return parsed.definition;
}

describe('impact dashboard in a browser', () => {
  const definition = loadDefinition();
  const dashboard = `/dashboard/${definition.id}`;
  let browser: Browser;
  let server: ServerType;
  let base = '';
  let signInLink = '';
  const cspErrors: string[] = [];

  async function newPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ locale: 'de-DE', viewport, acceptDownloads: true });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
    });
    return page;
  }

  const content = (page: Page) => page.locator('#content .report');

  beforeAll(async () => {
    const db = await freshTable();
    await publishDefinition(db, definition);
    const inputs = generateDemoResponses(definition, {
      count: 900,
      random: seededRandom(11),
      now: new Date('2027-06-30T12:00:00Z'),
    });
    for (let i = 0; i < inputs.length; i += 25) {
      await Promise.all(inputs.slice(i, i + 25).map((input) => storeResponse(db, input)));
    }
    const report = reportAppWith(db, { mode: 'token' });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: report.app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
        base = `http://127.0.0.1:${info.port}`;
        resolve(s);
      });
    });
    const token = await report.token(['lead'], [definition.campaign.id]);
    signInLink = `${base}/reports/signin?next=${encodeURIComponent(dashboard)}#token=${token}`;
    browser = await launchChromium();
    mkdirSync('test-results', { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(cspErrors).toEqual([]);
  });

  // axe over every indicator of a long page: some 8 s alone, up to three times that beside the rest of the suite.
  it('shows every public indicator with a chart and a table, passes axe, prints without the controls', async () => {
    const page = await newPage();
    await page.goto(signInLink);
    await page.waitForURL(`${base}${dashboard}`);
    await content(page).waitFor();

    expect(await page.locator('h1').textContent()).toBe('Wirkung der Kampagne');
    expect(await content(page).getAttribute('data-audience')).toBe('public');
    // The verdict comes first: one line per indicator, the baseline against the latest follow-up.
    const verdict = page.locator('section.verdict');
    expect(
      await page.locator('#content .report > section, #content .report > form').first().getAttribute('class'),
    ).toContain('verdict');
    expect(await verdict.locator('.verdict-pair').textContent()).toBe(
      '2. Folgemessung (nach der zweiten Kampagnenphase) im Vergleich zu Nullmessung 2026 (vor der Kampagne) · ungewichtet',
    );
    const lines = verdict.locator('li.verdict-line');
    expect(await lines.count()).toBe(await page.locator('section.indicator').count());
    const recognition = verdict.locator('li[data-indicator="aided_recognition"]');
    expect(await recognition.getAttribute('data-judgement')).toBe('rose');
    expect(await recognition.textContent()).toMatch(/gestiegen – besser.*\+\d+,\d Prozentpunkte \(95-%-Intervall/);
    // A reached and a missed target, each with its state in words, not only in colour.
    expect(await recognition.locator('.verdict-target').textContent()).toMatch(
      /^✓ Ziel erreicht \(mindestens 25,0\s% bis 31\.12\.2027; Stand: 2\. Folgemessung/,
    );
    const knowledge = verdict.locator('li[data-indicator="knows_occupations"] .verdict-target');
    expect(await knowledge.getAttribute('data-state')).toBe('not_reached');
    expect(await page.locator('section.targets li.target').count()).toBe(3);
    expect(await page.locator('section.targets li.target[data-state="reached"]').count()).toBe(1);
    const charts = page.locator('svg.chart[data-indicator]');
    expect(await charts.count()).toBeGreaterThanOrEqual(5);
    const image = page.locator('section.indicator[data-indicator="image_index"]');
    expect(await image.locator('h2').textContent()).toBe('Image-Index Handwerk (0–100)');
    // One dot per wave with an interval; the chart has an accessible name.
    expect(await image.locator('svg circle.estimate').count()).toBe(3);
    expect(await image.locator('svg g.ci').count()).toBe(3);
    expect(await image.getByRole('img', { name: /Image-Index Handwerk.*nach Welle/ }).count()).toBe(1);
    // The changes table names the comparison and the test outcome.
    const changes = image.getByRole('table', { name: /Veränderung: Image-Index/ });
    expect(await changes.getByRole('row').count()).toBe(3);
    expect(await changes.textContent()).toMatch(/gegenüber Nullmessung/);
    // Small groups are labelled, never shown as numbers.
    expect(await page.getByText('(unsicher, n < 30)').count()).toBeGreaterThan(0);
    await page.screenshot({ path: 'test-results/dashboard-public.png', fullPage: true });

    const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('form.controls').isVisible()).toBe(false);
    expect(await page.locator('.account').isVisible()).toBe(false);
    expect(await charts.first().isVisible()).toBe(true);
    // No heading or caption left alone at a page foot.
    const breaks = await page.evaluate(
      "[...document.querySelectorAll('#content caption, #content h2')].map((e) => getComputedStyle(e).breakAfter)",
    );
    expect(new Set(breaks as string[])).toEqual(new Set(['avoid']));
    // A compact report for one audience: at most four A4 pages with a printer's margins.
    const pdf = await page.pdf({ format: 'A4', margin: { top: '12mm', bottom: '12mm', left: '12mm', right: '12mm' } });
    expect(pdfPages(pdf)).toBeLessThanOrEqual(4);
    expect(pdfPages(pdf)).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('reads on a 390 px phone: no sideways scrolling, chart labels at a readable size', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await page.goto(signInLink);
    await content(page).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    const verdictWidth = await page.locator('section.verdict').evaluate((e) => e.scrollWidth - e.clientWidth);
    expect(verdictWidth).toBe(0);
    // Wave labels under the dots: drawn at 11 px or more on the phone.
    const sizes = await page
      .locator('section.indicator[data-indicator="image_index"] svg.chart g.wave text')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height / e.querySelectorAll('tspan').length || 0));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
    await page.screenshot({ path: 'test-results/dashboard-phone.png' });
  });

  it('switches audience and city through the selection form', async () => {
    const page = await newPage();
    await page.goto(signInLink);
    await content(page).waitFor();
    const publicIndicators = await page
      .locator('section.indicator')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-indicator')));

    // Weighting to the population: effective n beside every figure, and a note what it rests on.
    const plainIndex = await page
      .locator('section.indicator[data-indicator="image_index"] tbody td.num')
      .first()
      .textContent();
    await page.getByRole('checkbox', { name: 'gewichtet' }).check();
    await page.getByRole('button', { name: 'Anzeigen' }).click();
    await page.waitForURL(/weighted=true/);
    await page.locator('#content .report[data-weighted="true"]').waitFor();
    const image = page.locator('section.indicator[data-indicator="image_index"]');
    expect(await image.getByRole('columnheader', { name: 'n (effektiv)' }).count()).toBe(1);
    expect(await image.locator('tbody td.num').first().textContent()).not.toBe(plainIndex);
    expect(await page.locator('.notice.weighting').textContent()).toContain('Kreis Recklinghausen');
    await page.screenshot({ path: 'test-results/dashboard-weighted.png', fullPage: true });

    await page.getByRole('combobox', { name: 'Zielgruppe' }).selectOption('business');
    await page.getByRole('button', { name: 'Anzeigen' }).click();
    await page.waitForURL(/audience=business/);
    await page.locator('#content .report[data-audience="business"]').waitFor();
    const businessIndicators = await page
      .locator('section.indicator')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-indicator')));
    expect(businessIndicators).toContain('felt_appreciation');
    // Still weighted, but the county has no population figures for businesses: every wave is
    // marked unweighted in the chart and the table, and the note says why.
    const business = page.locator('section.indicator[data-indicator="image_index"]');
    expect(await business.locator('svg.chart g.wave.unweighted').count()).toBe(3);
    expect(await business.locator('tbody tr.unweighted').count()).toBe(3);
    expect(await business.locator('tbody th').first().textContent()).toContain('(ungewichtet)');
    expect(await page.locator('.notice.weighting .unweighted-why').textContent()).toMatch(/keine Bevölkerungszahlen/);
    expect(businessIndicators).not.toEqual(publicIndicators);
    expect(await page.locator('#gap').count()).toBe(1);

    await page.getByRole('combobox', { name: 'Ort' }).selectOption('marl');
    await page.getByRole('button', { name: 'Anzeigen' }).click();
    await page.waitForURL(/city=marl/);
    await page.locator('#content .report[data-audience="business"]').waitFor();
    expect(await page.locator('.report-meta').textContent()).toContain('Marl');
    await page.screenshot({ path: 'test-results/dashboard-business-marl.png', fullPage: true });

    // A wave pair: the verdict and the change tables read that pair only.
    await page.getByRole('combobox', { name: 'Ort' }).selectOption('');
    await page.getByRole('combobox', { name: 'Zielgruppe' }).selectOption('public');
    await page.getByRole('combobox', { name: 'Vergleich' }).selectOption('w0-baseline~w1-followup');
    await page.getByRole('button', { name: 'Anzeigen' }).click();
    await page.waitForURL(/pair=w0-baseline(~|%7E)w1-followup/);
    await page.locator('#content .report[data-audience="public"]').waitFor();
    expect(await page.locator('.verdict-pair').textContent()).toMatch(
      /^1\. Folgemessung .* im Vergleich zu Nullmessung/,
    );
    const changes = page.getByRole('table', { name: /Veränderung: Image-Index/ });
    expect(await changes.getByRole('row').count()).toBe(2);
    expect(await page.getByRole('combobox', { name: 'Vergleich' }).inputValue()).toBe('w0-baseline~w1-followup');
  }, 60_000);

  it('shows the answers per question on a 390 px phone without sideways scrolling, and passes axe', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await page.goto(signInLink);
    await content(page).waitFor();
    const section = page.locator('section.answers-list');
    expect(await section.locator('h2').textContent()).toBe('Antworten je Frage');
    // Every question of the public but the ones that identify (city, role, age band, gender) and free text.
    const questions = await section
      .locator('details.answers')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-question')));
    expect(questions).toContain('img_modern');
    expect(questions).toContain('aided_channel');
    for (const never of ['city', 'public_role', 'age_band', 'gender', 'aware_unaided_text', 'comments', 'consent']) {
      expect(questions).not.toContain(never);
    }
    await page.evaluate("document.querySelectorAll('details.answers').forEach((d) => { d.open = true; })");
    const table = section.locator('details[data-question="img_modern"] table');
    expect(await table.getByRole('rowheader', { name: 'stimme voll zu' }).count()).toBe(1);
    expect(await table.locator('td.share').first().textContent()).toMatch(/^\d{1,3},\d\s%$/);
    // With every question open, the page does not scroll sideways, nothing of the section reaches
    // past the screen's right edge, and no table is wider than its box.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    const past = await page.evaluate<number>(
      "[...document.querySelectorAll('section.answers-list, section.answers-list *')].filter((e) => e.getBoundingClientRect().right > 390).length",
    );
    expect(past).toBe(0);
    const overflowing = await page.evaluate<number>(
      "[...document.querySelectorAll('section.answers-list table')].filter((t) => t.scrollWidth > t.parentElement.clientWidth + 1).length",
    );
    expect(overflowing).toBe(0);
    await section
      .locator('details[data-question="img_modern"]')
      .screenshot({ path: 'test-results/dashboard-answers-phone.png' });
    await section.locator('table.channels').screenshot({ path: 'test-results/dashboard-channels-phone.png' });
    const result = await new AxeBuilder({ page }).include('section.answers-list').withTags(WCAG_TAGS).analyze();
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }, 60_000);

  it('downloads the same figures as CSV with the token, and speaks English', async () => {
    const page = await newPage({ width: 820, height: 1100 });
    await page.goto(signInLink);
    await content(page).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Tabelle als CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`impact-${definition.id}-public.csv`);
    // As German Excel opens it: UTF-8 with a byte order mark, ";" between cells, decimal commas.
    const bytes = await readFile((await download.path()) ?? '');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: string[][] = parse(bytes, { bom: true, delimiter: ';' });
    expect(rows[0]?.slice(0, 4)).toEqual(['Bereich', 'Indikator', 'Kennung', 'Welle']);
    const header = rows[0] ?? [];
    const at = (row: string[] | undefined, column: string) => row?.[header.indexOf(column)];
    const estimate = rows.find((r) => r[0] === 'Wert je Welle' && r[2] === 'image_index');
    expect(at(estimate, 'Wert')).toMatch(/^\d{2},\d$/);
    expect(at(estimate, 'Welle')).toBe('Nullmessung 2026 (vor der Kampagne)');
    // What the file shows comes first, then the verdict.
    expect(rows[1]?.slice(0, 2)).toEqual([
      'Auswahl',
      'Wertschätzungskampagne Handwerk im Kreis Recklinghausen: Wie sehen Sie das Handwerk?',
    ]);
    expect(rows[2]?.[0]).toBe('Auf einen Blick');
    // The same figure the page shows, digit for digit.
    const shown = await page
      .locator('section.indicator[data-indicator="image_index"] tbody tr')
      .first()
      .locator('td.num')
      .first()
      .textContent();
    expect(shown?.trim()).toBe(at(estimate, 'Wert'));

    await page.goto(`${base}${dashboard}?lang=en`);
    await content(page).waitFor();
    expect(await page.locator('h1').textContent()).toBe('Campaign impact');
    expect(await page.getByRole('table', { name: /Change: Handwerk image index/ }).count()).toBe(1);
  });
});
