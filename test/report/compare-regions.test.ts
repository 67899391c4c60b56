import { beforeAll, describe, expect, it } from 'vitest';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
import { loadSurveyFile, publishWithDemo } from '../setup/demo-surveys.js';
import { reportAppWith } from '../setup/report-app.js';
import { json } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

/**
 * The regional comparison on the region's real survey files with `npm start`'s demo responses:
 * the three Handwerk image batteries of Kreis Recklinghausen, Kreis Unna and the Bottrop Reallabor,
 * and the Emscher-Lippe business survey beside them.
 */
const recklinghausen = loadSurveyFile('surveys/handwerk-recklinghausen.yaml');
const unna = loadSurveyFile('surveys/handwerk-unna.yaml');
const bottrop = loadSurveyFile('surveys/reallabor-handwerk-bottrop.yaml');
const emscherLippe = loadSurveyFile('surveys/unternehmensbefragung-emscher-lippe.yaml');
const REGIONS = [recklinghausen, unna, bottrop];
const HANDWERK = REGIONS.map((d) => d.id).join(',');

type Figure = { surveyId: string; waveId: string; n: number | null; estimate: number | null; flags: string[] };
type Indicator = {
  id: string;
  kind: string;
  surveys: string[];
  sameQuestions: boolean;
  waves: { slot: string; figures: (Figure & { nEff?: number })[] }[];
  differences: { slot: string; a: string; b: string; sameQuestions: boolean; p: number | null; test: string | null }[];
};
type Body = { surveys: { surveyId: string }[]; withoutAudience: string[]; indicators: Indicator[] };

/** The image items a survey asks the public. */
const imageItems = (definition: SurveyDefinition) =>
  (definition.audiences.public?.sections ?? [])
    .flatMap((s) => s.questions)
    .filter((q) => q.indicator === 'image_index')
    .map((q) => q.id);

describe('compare API with the region’s surveys', () => {
  let report: ReturnType<typeof reportAppWith>;
  /** A lead of all four campaigns. */
  const token = () =>
    report.token(
      ['lead'],
      [...REGIONS, emscherLippe].map((d) => d.campaign.id),
    );
  const get = async (query: string, headers: Record<string, string> = {}) =>
    report.app.request(`/api/v1/compare?${query}`, {
      headers: { authorization: `Bearer ${await token()}`, ...headers },
    });
  const indicator = (body: Body, id: string) => {
    const found = body.indicators.find((i) => i.id === id);
    if (!found) throw new Error(`no shared indicator ${id}`);
    return found;
  };

  beforeAll(async () => {
    const db = await freshTable();
    for (const [i, definition] of REGIONS.entries()) await publishWithDemo(db, definition, 700, 11 + i);
    // Only there to be left out of the public's comparison and to share nothing with businesses.
    await publishWithDemo(db, emscherLippe, 200, 14);
    report = reportAppWith(db);
  }, 180_000);

  it('lines up the image index of Recklinghausen, Unna and Bottrop by the place of each wave', async () => {
    const res = await get(`surveys=${HANDWERK}`);
    expect(res.status).toBe(200);
    const body: Body = await json(res);
    expect(body.surveys.map((s) => s.surveyId)).toEqual(REGIONS.map((d) => d.id));
    const image = indicator(body, 'image_index');
    expect(image).toMatchObject({ kind: 'index', surveys: REGIONS.map((d) => d.id) });
    // Bottrop names its waves otherwise; its interim and final surveys are follow-ups 1 and 2.
    expect(image.waves.map((w) => [w.slot, w.figures.map((f) => `${f.surveyId}:${f.waveId}`)])).toEqual([
      [
        'baseline',
        ['handwerk-recklinghausen:w0-baseline', 'handwerk-unna:w0-baseline', 'reallabor-handwerk-bottrop:w0-baseline'],
      ],
      [
        'follow-up 1',
        ['handwerk-recklinghausen:w1-followup', 'handwerk-unna:w1-followup', 'reallabor-handwerk-bottrop:w1-interim'],
      ],
      [
        'follow-up 2',
        ['handwerk-recklinghausen:w2-followup', 'handwerk-unna:w2-followup', 'reallabor-handwerk-bottrop:w2-final'],
      ],
    ]);
    // Each figure is its survey's own, as its impact report shows it, and every one is shown.
    for (const definition of REGIONS) {
      const own: { indicators: { id: string; waves: Omit<Figure, 'surveyId'>[] }[] } = await json(
        await report.app.request(`/api/v1/surveys/${definition.id}/impact?audience=public`, {
          headers: {
            authorization: `Bearer ${await report.token(['lead'], [definition.campaign.id])}`,
          },
        }),
      );
      const ownImage = own.indicators.find((i) => i.id === 'image_index');
      for (const { figures } of image.waves) {
        const found = figures.find((f) => f.surveyId === definition.id);
        if (!found) throw new Error(`no figure of ${definition.id}`);
        const { surveyId: _, ...figure } = found;
        expect(figure).toEqual(ownImage?.waves.find((w) => w.waveId === figure.waveId));
        expect(figure.estimate).toBeGreaterThan(0);
        expect(figure.flags).not.toContain('suppressed');
      }
    }
    // Three pairs, two follow-ups each: every difference in differences tested with Welch t.
    expect(image.differences.map((d) => [d.a, d.b, d.slot])).toEqual(
      [
        ['handwerk-recklinghausen', 'handwerk-unna'],
        ['handwerk-recklinghausen', 'reallabor-handwerk-bottrop'],
        ['handwerk-unna', 'reallabor-handwerk-bottrop'],
      ].flatMap(([a, b]) => ['follow-up 1', 'follow-up 2'].map((slot) => [a, b, slot])),
    );
    for (const d of image.differences) expect(d).toMatchObject({ test: 'did-welch-t', p: expect.any(Number) });
  });

  it('says Recklinghausen and Bottrop ask the same image battery and Unna five of its eight items', async () => {
    expect(imageItems(bottrop)).toEqual(imageItems(recklinghausen));
    expect(imageItems(recklinghausen)).toHaveLength(8);
    expect(imageItems(unna)).toHaveLength(5);
    expect(imageItems(recklinghausen)).toEqual(expect.arrayContaining(imageItems(unna)));

    const three = indicator(await json(await get(`surveys=${HANDWERK}`)), 'image_index');
    expect(three.sameQuestions).toBe(false);
    const pairs = new Map(three.differences.map((d) => [`${d.a}/${d.b}`, d.sameQuestions]));
    expect(Object.fromEntries(pairs)).toEqual({
      'handwerk-recklinghausen/handwerk-unna': false,
      'handwerk-recklinghausen/reallabor-handwerk-bottrop': true,
      'handwerk-unna/reallabor-handwerk-bottrop': false,
    });
    const pair = async (a: SurveyDefinition, b: SurveyDefinition, id = 'image_index') =>
      indicator(await json(await get(`surveys=${a.id},${b.id}`)), id).sameQuestions;
    expect(await pair(recklinghausen, bottrop)).toBe(true);
    expect(await pair(unna, bottrop)).toBe(false);
    expect(await pair(recklinghausen, unna)).toBe(false);
    // Pupils alike: Recklinghausen's section also holds the parents' question, its intent question
    // asks the pupils only, as Bottrop's does.
    expect(await pair(recklinghausen, bottrop, 'youth_apprenticeship_intent')).toBe(true);
  });

  it('names the Emscher-Lippe business survey as not asking the public and compares the others', async () => {
    const res = await get(`surveys=${HANDWERK},${emscherLippe.id}`);
    expect(res.status).toBe(200);
    const body: Body = await json(res);
    expect(body.withoutAudience).toEqual([emscherLippe.id]);
    expect(body.surveys.map((s) => s.surveyId)).toEqual(REGIONS.map((d) => d.id));
    expect(indicator(body, 'image_index').surveys).toEqual(REGIONS.map((d) => d.id));
    const html = await (await get(`surveys=${HANDWERK},${emscherLippe.id}`, { accept: 'text/html' })).text();
    expect(html).toContain(
      'Nicht im Vergleich, weil sie diese Zielgruppe nicht befragen: „unternehmensbefragung-emscher-lippe“.',
    );
    // The console page names it as its list of surveys does.
    const page = await (
      await report.app.request(
        `/api/v1/reports/console/compare?surveys=${HANDWERK},${emscherLippe.id}&audience=public`,
        { headers: { authorization: `Bearer ${await token()}`, accept: 'text/html' } },
      )
    ).text();
    expect(page).toContain(
      'Nicht im Vergleich, weil sie diese Zielgruppe nicht befragen: „Modellkommunen Emscher-Lippe: Wie zufrieden sind Sie mit Ihrer Verwaltung?“.',
    );

    // With one survey of the public left there is nothing to compare.
    const alone = await get(`surveys=${bottrop.id},${emscherLippe.id}`);
    expect(alone.status).toBe(400);
    expect((await json(alone)).errors).toEqual([expect.objectContaining({ field: 'audience', code: 'not_shared' })]);

    // Businesses: the administration's grade is asked in Emscher-Lippe alone, so it is no column anywhere.
    const business: Body = await json(await get(`surveys=${HANDWERK},${emscherLippe.id}&audience=business`));
    expect(business.withoutAudience).toEqual([]);
    expect(business.indicators.map((i) => i.id)).not.toContain('admin_grade');
    expect(business.indicators.flatMap((i) => i.surveys)).not.toContain(emscherLippe.id);
  });

  it('weights each of the three to its own population when asked', async () => {
    const res = await get(`surveys=${HANDWERK}&weighted=true`);
    expect(res.status).toBe(200);
    const image = indicator(await json(res), 'image_index');
    for (const { figures } of image.waves) {
      expect(figures).toHaveLength(3);
      for (const f of figures) expect(f.nEff).toBeGreaterThan(0);
    }
    expect(new Set(image.differences.map((d) => d.test))).toEqual(new Set(['did-z']));
  });

  it('renders three columns and says which pairs ask the same questions', async () => {
    const html = await (await get(`surveys=${HANDWERK}`, { accept: 'text/html' })).text();
    const image = html.slice(
      html.indexOf('data-indicator="image_index"'),
      html.indexOf('data-indicator="unaided_awareness"'),
    );
    for (const region of ['Kreis Recklinghausen (Emscher-Lippe)', 'Kreis Unna', 'Stadt Bottrop']) {
      expect(image).toContain(`<th scope="col" class="num">${region}</th>`);
    }
    expect(image).toContain('class="compare-table stack"');
    expect(image).toContain('Bei jedem Unterschied steht, ob die beiden Umfragen dieselben Fragen stellen.');
    expect(image.match(/Beide Umfragen stellen hier dieselben Fragen\./g)).toHaveLength(2);
    expect(image.match(/Andere Fragen: Dieser Unterschied kann auch am Fragebogen liegen\./g)).toHaveLength(4);
  });
});
