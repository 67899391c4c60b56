import { beforeAll, describe, expect, it } from 'vitest';
import { loadSurveyFile, publishWithDemo } from '../setup/demo-surveys.js';
import { reportAppWith } from '../setup/report-app.js';
import { json } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

/**
 * The impact dashboard of the region's two newest surveys as a campaign lead reads it, on their
 * real files with `npm start`'s demo responses: the Emscher-Lippe business survey (no public, a
 * target on a school grade, no campaign to have seen) and the Bottrop Reallabor (public weighted by
 * area and age only, businesses not weighted at all).
 */
const emscherLippe = loadSurveyFile('surveys/unternehmensbefragung-emscher-lippe.yaml');
const bottrop = loadSurveyFile('surveys/reallabor-handwerk-bottrop.yaml');

describe('dashboards of the Emscher-Lippe and Bottrop surveys', () => {
  let report: ReturnType<typeof reportAppWith>;
  const get = async (surveyId: string, query = '', accept = 'text/html') =>
    report.app.request(`/api/v1/surveys/${surveyId}/impact${query}`, {
      headers: {
        authorization: `Bearer ${await report.token(['lead'], [emscherLippe.campaign.id, bottrop.campaign.id])}`,
        accept,
      },
    });

  beforeAll(async () => {
    const db = await freshTable();
    await publishWithDemo(db, emscherLippe, 500, 21);
    await publishWithDemo(db, bottrop, 600, 22);
    report = reportAppWith(db);
  }, 120_000);

  it('shows the Emscher-Lippe businesses by default, with the grade target, its state and its test', async () => {
    const res = await get(emscherLippe.id);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-audience="business"');
    expect(html).toMatch(/<option value="business" selected(="")?>/);
    expect(html).not.toContain('value="public"');
    const target = html.slice(html.indexOf('Ziel: höchstens 2,70'));
    expect(target).toMatch(/^Ziel: höchstens 2,70 bis 31\.12\.2029 \(Ausgangswert laut Quelle 3,10\)/);
    expect(target).toMatch(/(Ziel erreicht|Ziel noch nicht erreicht|noch nicht entscheidbar)/);
    expect(target).toMatch(/einseitiger Test: p [=<] [01],\d{3}/);
  });

  it('draws the grade target into the chart of the grade, and no target where there is none', async () => {
    const html = await (await get(emscherLippe.id)).text();
    const chartOf = (id: string) => {
      const at = html.indexOf(`aria-labelledby="chart-${id}-title`);
      return html.slice(html.lastIndexOf('<svg', at), html.indexOf('</svg>', at));
    };
    const grade = chartOf('admin_grade');
    expect(grade).toContain('<g class="target" data-value="2.7">');
    expect(grade).toContain('Ziel ≤ 2,70</text>');
    expect(grade).toContain('Gestrichelte Linie: Ziel ≤ 2,70.</desc>');
    // 2.7 lies inside the chart's range, so the distance to the target is seen.
    const ticks = [...grade.matchAll(/text-anchor="end">(\d,\d\d)<\/text>/g)].map((m) =>
      Number(m[1]?.replace(',', '.')),
    );
    expect(Math.min(...ticks)).toBeLessThanOrEqual(2.7);
    expect(chartOf('grade_permits')).not.toContain('class="target"');
  });

  it('shows no exposure contrast for businesses that were never asked about a campaign', async () => {
    const html = await (await get(emscherLippe.id)).text();
    expect(html).not.toContain('id="exposure"');
    expect(html).not.toContain('Kampagne gesehen oder nicht');
    expect((await json(await get(emscherLippe.id, '', 'application/json'))).exposure).toEqual([]);
    // Bottrop's public is asked whether it knows the Reallabor: its contrast stays.
    expect(await (await get(bottrop.id, '?audience=public')).text()).toContain('id="exposure"');
  });

  it('says what the Bottrop public is weighted by: area and age, not gender', async () => {
    const res = await get(bottrop.id, '?audience=public&weighted=true', 'application/json');
    expect((await json(res)).weighting.dimensions).toEqual(['city', 'age_band']);
    const html = await (await get(bottrop.id, '?audience=public&weighted=true')).text();
    expect(html).toContain('Gewichtet auf die Bevölkerung (Stadt Bottrop) nach Wohnort und Alter, je Welle;');
    expect(html).not.toContain('Geschlecht');
    expect(html).toContain('noch nicht mit den amtlichen Tabellen abgeglichen');
  });

  it('claims no weighting for the Bottrop businesses, which have no population figures', async () => {
    const res = await get(bottrop.id, '?audience=business&weighted=true', 'application/json');
    expect((await json(res)).weighting.dimensions).toEqual([]);
    const html = await (await get(bottrop.id, '?audience=business&weighted=true')).text();
    expect(html).not.toContain('Gewichtet auf die Bevölkerung');
    expect(html).not.toContain('amtlichen Tabellen');
    expect(html).toContain(
      'Für die Zielgruppe „Befragung für Handwerksbetriebe in Bottrop“ gibt es keine Bevölkerungszahlen',
    );
  });

  it('hyphenates wave names wider than their place under the chart', async () => {
    const html = await (await get(bottrop.id, '?audience=public')).text();
    const chart = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    expect(chart).toContain('>Zwischen-</tspan>');
    expect(chart).toContain('>messung 2027</tspan>');
    expect(chart).toContain('>Abschluss-</tspan>');
  });
});
