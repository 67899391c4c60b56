import { beforeAll, describe, expect, it } from 'vitest';
import { FieldworkFragment, type FieldworkView } from '../../functions/report/pages/fieldwork-fragment.js';
import { reportLabels } from '../../functions/report/pages/labels.js';
import type { FieldworkWave } from '../../shared/fieldwork/report.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { PLANTED_LABEL, REPORT_SURVEY, reportAppWith, seedFieldwork } from '../setup/report-app.js';
import { json } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

const PATH = `/api/v1/surveys/${REPORT_SURVEY}/fieldwork`;
const HTML = { accept: 'text/html' };

describe('fieldwork fragment', () => {
  let report: ReturnType<typeof reportAppWith>;
  const get = async (headers: Record<string, string>, query = '') => report.app.request(`${PATH}${query}`, { headers });
  const as = async (roles: ('lead' | 'admin' | 'evaluator')[], campaigns?: string[]) => ({
    authorization: `Bearer ${await report.token(roles, campaigns)}`,
  });

  beforeAll(async () => {
    const db = await freshTable();
    await seedFieldwork(db);
    report = reportAppWith(db);
  });

  it('renders the report as an HTML fragment for Accept: text/html', async () => {
    // Prepare
    const headers = { ...(await as(['lead'])), ...HTML };
    // Act
    const res = await get(headers);
    const html = await res.text();
    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('vary')).toContain('Accept');
    expect(html).not.toMatch(/<!doctype|<html|<body/i);
    expect(html).toContain('<caption>Antworten nach Zielgruppe und Ort – Nullmessung</caption>');
    expect(html).toContain('<caption>Antworten nach Kanal – Nullmessung</caption>');
    expect(html).toMatch(/<th scope="col"[^>]*>Kanal<\/th>/);
    expect(html).toContain('Antworten insgesamt: <strong>26</strong>');
    // labels: audience title, campaign city, city option outside the campaign, declared channel
    expect(html).toContain('<th scope="rowgroup">Bürgerinnen und Bürger</th><td class="num">26</td>');
    expect(html).toContain('<th scope="row" class="city">Alpha</th><td class="num">12</td>');
    // 3 from elsewhere are hidden, and Beta's 11 with them (else 26 - 12 - 11 would give the 3 away):
    // no row of their own, one row for both with what 26 - 12 gives anyway.
    expect(html).toContain(
      '<th scope="row" class="city">übrige Orte zusammen<span class="groups">Beta, anderswo</span></th><td class="num">14</td>',
    );
    expect(html).not.toContain('>Beta</th>');
    expect(html).not.toContain('<abbr title="nicht ausgewiesen">');
    expect(html).toContain(`<td>Plakat Alpha</td><td class="num">12</td>`);
    expect(html).toMatch(
      /<td>übrige Kanäle zusammen<span class="groups">[^<]*Schulnewsletter[^<]*, ohne bekannten Kanal<\/span><\/td><td class="num">14<\/td>/,
    );
    expect(html).not.toContain('&lt; 10');
    expect(html).toContain('„–“ heißt: nicht ausgewiesen.');
    // the periods with their running total, and the curve drawn from them
    expect(html).toMatch(
      /<time datetime="2026-11-20">20\.11\.2026<\/time><\/th><td class="num">26<\/td><td class="num">26<\/td>/,
    );
    expect(html).toMatch(
      /<svg class="chart cumulative"[^>]* role="img" aria-labelledby="curve-w0-title" aria-describedby="curve-w0-desc"[^>]*><title id="curve-w0-title">Antworten aufsummiert – Nullmessung<\/title><desc id="curve-w0-desc">Die Kurve steigt am 20\.11\.2026 von 0 auf 26, in einem Zeitraum mit mindestens 10 Antworten\./,
    );
    // the collecting wave first and marked, then the one still to come
    expect(html).toContain('<h2 id="wave-w0">Welle: Nullmessung <span class="badge">läuft gerade</span></h2>');
    expect(html.indexOf('id="wave-w0"')).toBeLessThan(html.indexOf('id="wave-w1"'));
    expect(html).toContain('Noch keine Antworten in dieser Welle.');
    // one wave with responses: no table over all waves
    expect(html).not.toContain('Alle Wellen zusammen');
    expect(html).toMatch(
      /<td class="num">5<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">0\s%<\/td>/,
    );
  });

  it('keeps a planted script in a channel label inert', async () => {
    const html = await (await get({ ...(await as(['admin'])), ...HTML })).text();
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;window.planted = 1&lt;/script&gt;&lt;b&gt;Schulnewsletter&lt;/b&gt;');
    expect(html).toContain('&lt;b&gt;Schulnewsletter&lt;/b&gt;, ohne bekannten Kanal</span>');
    expect(PLANTED_LABEL).toContain('<script>');
  });

  it('speaks English with ?lang=en', async () => {
    const html = await (await get({ ...(await as(['lead'])), ...HTML }, '?lang=en')).text();
    expect(html).toContain('<caption>Responses by audience and area – Baseline</caption>');
    expect(html).toContain('<th scope="rowgroup">Public</th><td class="num">26</td>');
    expect(html).toContain('<td>Poster Alpha</td><td class="num">12</td>');
    expect(html).toContain('other areas together<span class="groups">Beta, elsewhere</span>');
    expect(html).toContain('other channels together<span class="groups">');
    expect(html).toContain('<th scope="col" class="num">running total</th>');
    expect(html).toContain('<title id="curve-w0-title">Responses added up – Baseline</title>');
    expect(html).toContain('Baseline <span class="badge">collecting now</span>');
    expect(html).toContain('Responses in total: <strong>26</strong>');
    expect(html).toContain('&quot;–&quot; means not shown.');
  });

  it('stays JSON by default and for Accept: application/json or */*', async () => {
    for (const accept of [undefined, 'application/json', '*/*']) {
      const res = await get({ ...(await as(['lead'])), ...(accept ? { accept } : {}) });
      expect(res.status, String(accept)).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      const w0 = (await json(res)).waves.find((w: { waveId: string }) => w.waveId === 'w0');
      expect(w0.responses).toBe(26);
    }
  });

  it('answers 401 and 403 as problem+json whatever is accepted', async () => {
    for (const accept of ['text/html', 'application/json']) {
      const none = await get({ accept });
      expect(none.status).toBe(401);
      expect(none.headers.get('content-type')).toContain('application/problem+json');
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      for (const headers of [await as(['evaluator']), await as(['lead'], ['another-campaign'])]) {
        const denied = await get({ ...headers, accept });
        expect(denied.status).toBe(403);
        expect((await json(denied)).title).toBe('Forbidden');
      }
    }
  });

  it('documents both representations in the OpenAPI document', async () => {
    const doc = await json(await report.app.request('/api/v1/reports/openapi.json'));
    const content = doc.paths['/api/v1/surveys/{surveyId}/fieldwork'].get.responses['200'].content;
    expect(Object.keys(content)).toEqual(['application/json', 'text/html']);
    expect(doc.paths['/api/v1/reports/me'].get.security).toEqual([{ bearer: [] }]);
  });
});

describe('FieldworkFragment', () => {
  const view: FieldworkView = {
    surveyId: 'mini',
    minCellSize: 10,
    generatedAt: '2026-11-20T12:00:00.000Z',
    waves: [],
    acrossWaves: { responses: 0, audiences: [], otherAudiences: undefined },
    quotas: [
      {
        id: 'w0.public.alpha',
        waveId: 'w0',
        audience: 'public',
        city: 'alpha',
        target: 50,
        whenMet: 'close',
        responses: 52,
        met: true,
      },
      {
        id: 'w1.public',
        waveId: 'w1',
        audience: 'public',
        target: 300,
        whenMet: 'keep',
        responses: null,
        met: false,
      },
    ],
    invitations: [
      {
        batchId: 'b-many',
        audience: 'business',
        createdOn: '2026-11-02',
        issued: 40,
        used: 10,
        revoked: 2,
        expired: 0,
      },
      {
        batchId: 'b-few',
        audience: 'business',
        createdOn: '2026-11-03',
        issued: 40,
        used: null,
        revoked: 0,
        expired: 1,
      },
    ],
  };
  const renderWith = async (shown: FieldworkView, lang: 'de' | 'en') =>
    String(
      await (
        <FieldworkFragment
          definition={miniSurvey}
          view={shown}
          labels={reportLabels(miniSurvey, [], lang)}
          lang={lang}
        />
      ),
    );
  const render = () => renderWith(view, 'en');

  it('gives a response rate only where the used count is shown', async () => {
    const html = await render();
    expect(html).toMatch(
      /<code>b-many<\/code>.*<td class="num">40<\/td><td class="num">10<\/td>.*<td class="num">25%<\/td>/,
    );
    expect(html).toMatch(
      /<code>b-few<\/code>.*<td class="num"><abbr title="not shown">–<\/abbr><\/td>.*<td class="num">–<\/td><\/tr>/,
    );
  });

  it('lists quota progress with the group, target and what happens when met', async () => {
    const html = await render();
    expect(html).toContain('<caption>Quotas per wave, audience and area</caption>');
    expect(html).toMatch(
      /<td>Baseline<\/td><td>[^<]+<\/td><td>Alpha<\/td><td class="num">52<\/td><td class="num">50<\/td><td>group closes<\/td><td>met<\/td>/,
    );
    expect(html).toMatch(
      /<td>all areas<\/td><td class="num"><abbr title="not shown">–<\/abbr><\/td><td class="num">300<\/td><td>keep collecting<\/td><td>open<\/td>/,
    );
  });

  const hiddenAudiences: FieldworkWave = {
    waveId: 'w1',
    collecting: false,
    responses: 75,
    audiences: [
      { audience: 'business', responses: null, cities: [], otherCities: { groups: ['alpha'], responses: null } },
      {
        audience: 'multiplier',
        responses: null,
        cities: [],
        otherCities: { groups: ['alpha', 'beta'], responses: null },
      },
      {
        audience: 'public',
        responses: 60,
        cities: [
          { city: 'alpha', responses: null },
          { city: 'beta', responses: null },
        ],
        otherCities: { groups: ['alpha', 'beta'], responses: 60 },
      },
    ],
    otherAudiences: { groups: ['business', 'multiplier'], responses: 15 },
    channels: [{ channel: 'unknown', responses: 75 }],
    otherChannels: undefined,
    periods: [
      { from: '2026-11-28', to: '2026-12-02', responses: 40, cumulative: 40 },
      { from: '2026-12-03', to: '2026-12-03', responses: 35, cumulative: 75 },
    ],
  };

  it('collapses hidden audiences and cities into one row each, where no single one is shown', async () => {
    // Act
    const html = await renderWith({ ...view, waves: [hiddenAudiences] }, 'de');
    // Assess: no row per hidden audience or city; the public's cities all in one row
    expect(html).toContain(
      '<th scope="row" class="city">alle Orte zusammen<span class="groups">Alpha, Beta</span></th><td class="num">60</td>',
    );
    expect(html).toContain(
      '<th scope="rowgroup">übrige Zielgruppen zusammen<span class="groups">business, multiplier</span></th><td class="num">15</td>',
    );
    const wave = html.slice(0, html.indexOf('id="quotas"'));
    expect(wave).not.toContain('>business</th>');
    expect(wave).not.toContain('<abbr title="nicht ausgewiesen">');
    // periods over a month's end, and the curve's axis from the first to the last day
    expect(html).toMatch(/<time datetime="2026-11-28">28\.11\.\s–\s02\.12\.2026<\/time>/);
    expect(html).toMatch(
      /<text[^>]*text-anchor="start">28\. Nov\.<\/text><text[^>]*text-anchor="end">3\. Dez\.<\/text>/,
    );
  });

  it('shows "–" for the hidden groups together where the total is hidden, and no curve below k', async () => {
    const small: FieldworkWave = {
      ...hiddenAudiences,
      responses: null,
      audiences: [
        { audience: 'public', responses: null, cities: [], otherCities: { groups: ['alpha'], responses: null } },
      ],
      otherAudiences: { groups: ['public'], responses: null },
      channels: [{ channel: 'unknown', responses: null }],
      otherChannels: { groups: ['unknown'], responses: null },
      periods: [],
    };
    const html = await renderWith({ ...view, waves: [small] }, 'en');
    expect(html).toContain(
      'all audiences together<span class="groups">Public</span></th><td class="num"><abbr title="not shown">–</abbr></td>',
    );
    expect(html).toContain(
      'all channels together<span class="groups">no known channel</span></td><td class="num"><abbr',
    );
    expect(html).not.toContain('<svg');
    expect(html).toContain('Too few responses for a curve yet: it starts once there are 10.');
  });

  it('adds the audiences up over all waves where two or more have responses', async () => {
    const html = await renderWith(
      {
        ...view,
        waves: [hiddenAudiences, { ...hiddenAudiences, waveId: 'w0' }],
        acrossWaves: {
          responses: 150,
          audiences: [
            { audience: 'business', responses: null },
            { audience: 'public', responses: 120 },
          ],
          otherAudiences: { groups: ['business'], responses: 30 },
        },
      },
      'en',
    );
    expect(html).toContain('<caption>Responses by audience, all waves together</caption>');
    expect(html).toContain('<th scope="row">Public</th><td class="num">120</td>');
    expect(html).toContain('other audiences together<span class="groups">business</span></th><td class="num">30</td>');
    expect(html).toContain('<th scope="row">all audiences</th><td class="num">150</td>');
  });

  it('leaves the quota section out when there are none', async () => {
    const html = await renderWith({ ...view, quotas: [] }, 'de');
    expect(html).not.toContain('Quoten');
    expect(html).toContain('Persönliche Einladungen');
  });
});
