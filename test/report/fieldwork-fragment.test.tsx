import { beforeAll, describe, expect, it } from 'vitest';
import { FieldworkFragment, type FieldworkView } from '../../functions/report/pages/fieldwork-fragment.js';
import { reportLabels } from '../../functions/report/pages/labels.js';
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
    expect(html).toContain('<caption>Antworten nach Zielgruppe und Stadt – Nullmessung</caption>');
    expect(html).toContain('<caption>Antworten nach Kanal – Nullmessung</caption>');
    expect(html).toMatch(/<th scope="col"[^>]*>Kanal<\/th>/);
    expect(html).toContain('Antworten insgesamt: <strong>26</strong>');
    // labels: audience title, campaign city, city option outside the campaign, declared channel
    expect(html).toContain('<th scope="row">Bürgerinnen und Bürger</th><td></td><td class="num">26</td>');
    expect(html).toContain('<td></td><td>Alpha</td><td class="num">12</td>');
    // 3 from elsewhere are hidden, and Beta's 11 with them (else 26 - 12 - 11 would give the 3 away);
    // both look alike.
    const hidden = '<td class="num"><abbr title="nicht ausgewiesen">–</abbr></td>';
    expect(html).toContain(`<td></td><td>anderswo</td>${hidden}`);
    expect(html).toContain(`<td></td><td>Beta</td>${hidden}`);
    expect(html).toContain(`<td>Plakat Alpha</td><td class="num">12</td>`);
    expect(html).toContain(`<td>ohne bekannten Kanal</td>${hidden}`);
    expect(html).not.toContain('&lt; 10');
    expect(html).toContain('„–“ heißt: nicht ausgewiesen.');
    expect(html).toMatch(/<time datetime="2026-11-20">20\.11\.2026<\/time><\/th><td class="num">26<\/td>/);
    expect(html).toContain('Folgemessung');
    expect(html).toContain('Noch keine Antworten in dieser Welle.');
    expect(html).toMatch(
      /<td class="num">5<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">0\s%<\/td>/,
    );
  });

  it('keeps a planted script in a channel label inert', async () => {
    const html = await (await get({ ...(await as(['admin'])), ...HTML })).text();
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;window.planted = 1&lt;/script&gt;&lt;b&gt;Schulnewsletter&lt;/b&gt;');
    expect(html).toMatch(
      /Schulnewsletter&lt;\/b&gt;<\/td><td class="num"><abbr title="nicht ausgewiesen">–<\/abbr><\/td>/,
    );
    expect(PLANTED_LABEL).toContain('<script>');
  });

  it('speaks English with ?lang=en', async () => {
    const html = await (await get({ ...(await as(['lead'])), ...HTML }, '?lang=en')).text();
    expect(html).toContain('<caption>Responses by audience and city – Baseline</caption>');
    expect(html).toContain('<th scope="row">Public</th><td></td><td class="num">26</td>');
    expect(html).toContain('<td>Poster Alpha</td><td class="num">12</td>');
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
  const render = async () =>
    String(
      await (
        <FieldworkFragment definition={miniSurvey} view={view} labels={reportLabels(miniSurvey, [], 'en')} lang="en" />
      ),
    );

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
    expect(html).toContain('<caption>Quotas per wave, audience and city</caption>');
    expect(html).toMatch(
      /<td>Baseline<\/td><td>[^<]+<\/td><td>Alpha<\/td><td class="num">52<\/td><td class="num">50<\/td><td>group closes<\/td><td>met<\/td>/,
    );
    expect(html).toMatch(
      /<td>all cities<\/td><td class="num"><abbr title="not shown">–<\/abbr><\/td><td class="num">300<\/td><td>keep collecting<\/td><td>open<\/td>/,
    );
  });

  it('leaves the quota section out when there are none', async () => {
    const html = String(
      await (
        <FieldworkFragment
          definition={miniSurvey}
          view={{ ...view, quotas: [] }}
          labels={reportLabels(miniSurvey, [], 'de')}
          lang="de"
        />
      ),
    );
    expect(html).not.toContain('Quoten');
    expect(html).toContain('Persönliche Einladungen');
  });
});
