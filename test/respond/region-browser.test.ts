import { mkdirSync, writeFileSync } from 'node:fs';
import { type ServerType, serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validSurveyFiles } from '../../local/load-surveys.js';
import { scanResponses } from '../../shared/data/response-store.js';
import type { Db } from '../../shared/data/table.js';
import type { Audience, Question, SurveyDefinition } from '../../shared/survey/schema.js';
import { axeViolations, launchChromium } from '../setup/chromium.js';
import { respondAppWith } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

/**
 * Every page of every audience of the two region surveys (issue 19), on a phone, in German and
 * English, through the real respondent pages: no axe finding (WCAG 2.1 A/AA, any impact), no
 * horizontal scrolling at 390 px nor at the 320 px WCAG's reflow criterion names, and a path that shows every conditional section and question, stored as
 * answered. The first and the longest page of each walk are kept as screenshots in test-results/.
 */

const SURVEYS: { id: string; file: string; wave: string; audiences: Audience[] }[] = [
  {
    id: 'unternehmensbefragung-emscher-lippe',
    file: 'surveys/unternehmensbefragung-emscher-lippe.yaml',
    wave: 'w0-2026',
    audiences: ['business'],
  },
  {
    id: 'reallabor-handwerk-bottrop',
    file: 'surveys/reallabor-handwerk-bottrop.yaml',
    wave: 'w0-baseline',
    audiences: ['public', 'business'],
  },
];
const WIDTH = 390;
const HEIGHT = 844;
/** WCAG 2.1 SC 1.4.10 (reflow): content fits 320 CSS px without scrolling sideways. */
const REFLOW_WIDTH = 320;
const PHONE = { viewport: { width: WIDTH, height: HEIGHT }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const LANGS = { de: { locale: 'de-DE', thanks: 'Vielen Dank!' }, en: { locale: 'en-GB', thanks: 'Thank you!' } };
type Lang = keyof typeof LANGS;
const SHOTS = 'test-results';

/** The answers that open every conditional part: services, the pupils' section, recall texts. */
const CHOSEN: Record<string, string | string[]> = {
  admin_contact: 'yes',
  public_role: 'pupil',
  aware_unaided: 'yes',
  aware_unaided_offers: 'yes',
};
const TEXTS: Record<Lang, string> = {
  de: 'Weniger Papier, schnellere Rückmeldungen – danke für die Befragung!',
  en: 'Less paper and faster replies - thanks for asking!',
};

/** What the walk answers to a question, as the form sends it. */
function choiceFor(q: Question, lang: Lang): string | string[] {
  const chosen = CHOSEN[q.id];
  if (chosen !== undefined) return chosen;
  switch (q.type) {
    case 'consent':
      return 'self';
    case 'grade':
      return '2';
    case 'likert':
      return '4';
    case 'yes_no':
      return 'yes';
    case 'single_choice':
      return q.options[0]?.code ?? '';
    case 'multiple_choice':
      return q.options
        .map((o) => o.code)
        .filter((c) => !q.exclusive.includes(c))
        .slice(0, 2);
    case 'text':
      return TEXTS[lang];
    default:
      throw new Error(`the walk has no answer for ${q.type} questions (${q.id})`);
  }
}

/** The answer as the response stores it: scale points as numbers. */
function storedFor(q: Question, lang: Lang): unknown {
  const choice = choiceFor(q, lang);
  return q.type === 'grade' || q.type === 'likert' ? Number(choice) : choice;
}

async function h1(page: Page): Promise<string> {
  return ((await page.locator('h1').textContent()) ?? '').trim();
}

/** Answers the questions the page shows (hidden fields carry earlier pages' answers). */
async function fillPage(page: Page, byId: Map<string, Question>, lang: Lang): Promise<void> {
  const names = await page
    .locator('form input:not([type="hidden"]), form textarea')
    .evaluateAll((inputs) => [...new Set(inputs.map((i) => i.getAttribute('name') ?? ''))]);
  for (const name of names.filter((n) => n !== '' && !n.startsWith('_'))) {
    const q = byId.get(name);
    if (!q) throw new Error(`the page asks ${name}, which the survey file does not`);
    const choice = choiceFor(q, lang);
    if (q.type === 'text') {
      await page.locator(`[name="${name}"]`).fill(String(choice));
      continue;
    }
    for (const value of [choice].flat()) await page.locator(`input[name="${name}"][value="${value}"]`).check();
  }
}

function loadSurveys(): Promise<SurveyDefinition[]> {
  return validSurveyFiles(SURVEYS.map((s) => s.file)).then((results) => results.map((r) => r.definition));
}

describe('respondent pages of the region surveys on a phone', () => {
  let db: Db;
  let server: ServerType | undefined;
  let baseUrl: string;
  let browser: Browser | undefined;
  let definitions: SurveyDefinition[];

  beforeAll(async () => {
    definitions = await loadSurveys();
    db = await freshTable();
    let app: Awaited<ReturnType<typeof respondAppWith>>['app'] | undefined;
    for (const [i, definition] of definitions.entries()) {
      ({ app } = await respondAppWith(db, definition, SURVEYS[i]?.wave ?? ''));
    }
    if (!app) throw new Error('no survey');
    const fetch = app.fetch;
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info) => resolve(info.port));
    });
    baseUrl = `http://127.0.0.1:${port}`;
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('walks every audience the two files define', () => {
    for (const { id, audiences } of SURVEYS) {
      const definition = definitions.find((d) => d.id === id);
      expect(Object.keys(definition?.audiences ?? {}).sort(), id).toEqual([...audiences].sort());
    }
  });

  // Every audience in German, the language nearly everyone answers in, and the first one in English
  // too (the pages are the same templates with the survey's English texts, which the definition
  // tests check for every question): the walks are the slowest tests of the suite.
  const walks = SURVEYS.flatMap(({ id, audiences }, s) =>
    audiences.flatMap((audience, a) =>
      (s === 0 && a === 0 ? (['de', 'en'] as const) : (['de'] as const)).map((lang) => ({ id, audience, lang })),
    ),
  );

  it.each(walks)(
    'walks every page of $id/$audience in $lang without axe findings or sideways scrolling',
    async ({ id, audience, lang }) => {
      // Prepare
      const definition = definitions.find((d) => d.id === id);
      const spec = definition?.audiences[audience];
      if (!definition || !spec) throw new Error(`${id} has no ${audience} questionnaire`);
      const byId = new Map(spec.sections.flatMap((s) => s.questions.map((q) => [q.id, q] as const)));
      const before = new Set<string>();
      for await (const r of scanResponses(db, id)) before.add(r.responseId);
      const context = await (browser as Browser).newContext({ ...PHONE, locale: LANGS[lang].locale });
      const findings: string[] = [];
      const headings: string[] = [];
      let longest: { height: number; shot: Buffer } = { height: 0, shot: Buffer.alloc(0) };
      let consentOptions = 0;
      try {
        const page = await context.newPage();
        // axe runs as a script, so this walk has JavaScript on; the pages themselves have none.
        const audit = async (label: string) => {
          findings.push(...(await axeViolations(page, label)));
          for (const width of [WIDTH, REFLOW_WIDTH]) {
            await page.setViewportSize({ width, height: HEIGHT });
            const scrolls = await page.evaluate<number>('document.documentElement.scrollWidth');
            if (scrolls > width) findings.push(`${label}: ${scrolls} px wide at ${width} px, scrolls sideways`);
          }
          await page.setViewportSize({ width: WIDTH, height: HEIGHT });
        };

        // Act: page by page to the thank-you page
        await page.goto(`${baseUrl}/s/${id}/${audience}${lang === 'en' ? '?lang=en' : ''}`);
        expect(await page.locator('html').getAttribute('lang')).toBe(lang);
        for (let i = 0; i < 30 && (await h1(page)) !== LANGS[lang].thanks; i++) {
          const heading = await h1(page);
          if (headings.at(-1) !== heading) headings.push(heading);
          await audit(`${heading} (${i + 1})`);
          const height = await page.evaluate<number>('document.documentElement.scrollHeight');
          if (i === 0) {
            await page.screenshot({ path: `${SHOTS}/${id}-${audience}-${lang}-first.png`, fullPage: true });
            // A business answers through an adult: its consent has no parent's option.
            consentOptions = await page.locator('input[name="consent"]').count();
          }
          if (height > longest.height) longest = { height, shot: await page.screenshot({ fullPage: true }) };
          await fillPage(page, byId, lang);
          await page.getByRole('button', { name: lang === 'de' ? /^(Weiter|Absenden)$/ : /^(Next|Submit)$/ }).click();
          await page.waitForLoadState('load');
        }
        await audit('thank-you page');
        writeFileSync(`${SHOTS}/${id}-${audience}-${lang}-longest.png`, longest.shot);

        // Assess: every section was shown, in order, and nothing was in the way
        expect(await h1(page)).toBe(LANGS[lang].thanks);
        expect(headings).toEqual([spec.title[lang], ...spec.sections.slice(1).map((s) => s.title[lang])]);
        expect(findings).toEqual([]);
        expect(consentOptions).toBe(audience === 'business' ? 1 : 2);
      } finally {
        await context.close();
      }

      // Assess: stored once, with every answer the walk gave (conditional questions included)
      const added = [];
      for await (const r of scanResponses(db, id)) if (!before.has(r.responseId)) added.push(r);
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({ audience, locale: lang, consentBy: 'self', channel: 'unknown' });
      const expected = Object.fromEntries([...byId.values()].map((q) => [q.id, storedFor(q, lang)]));
      expect(added[0]?.answers).toEqual(expected);
    },
    180_000,
  );
});
