import { beforeAll, describe, expect, it } from 'vitest';
import { jsonLogger } from '../../functions/lib/logger.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import { storeResponse } from '../../shared/response/submit.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
import { comparedResponse, miniVariant } from '../fixtures/mini-compare.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { reportAppWith } from '../setup/report-app.js';
import { json } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

const B_CAMPAIGN = 'mini-b-campaign';
const surveyB = miniVariant('mini-b', { campaign: B_CAMPAIGN, waves: 3 });
/** In b's campaign, with a follow-up too small to show. */
const surveyC = miniVariant('mini-c', { campaign: B_CAMPAIGN });
/** In a campaign the lead below does not cover. */
const surveyD = miniVariant('mini-d', { campaign: 'another-campaign' });
const CAMPAIGNS = [miniSurvey.campaign.id, B_CAMPAIGN];

/** `count` public responses of a wave (see `comparedResponse`). */
async function seed(db: Db, definition: SurveyDefinition, waveId: string, count: number, centre: number, aware = 2) {
  await Promise.all(
    Array.from({ length: count }, (_, j) => storeResponse(db, comparedResponse(definition, waveId, j, centre, aware))),
  );
}

type Body = Record<string, never> & {
  indicators: {
    id: string;
    kind: string;
    waves: { slot: string; figures: { surveyId: string; waveId: string }[] }[];
    differences: { slot: string; a: string; b: string; delta: number | null; p: number | null; flags: string[] }[];
  }[];
};

describe('compare API', () => {
  let db: Db;
  let report: ReturnType<typeof reportAppWith>;
  const get = async (query: string, headers: Record<string, string> = {}, campaigns = CAMPAIGNS) =>
    report.app.request(`/api/v1/compare${query}`, {
      headers: { authorization: `Bearer ${await report.token(['lead'], campaigns)}`, ...headers },
    });
  const indicator = (body: Body, id: string) => {
    const found = body.indicators.find((i) => i.id === id);
    if (!found) throw new Error(`no shared indicator ${id}`);
    return found;
  };

  beforeAll(async () => {
    db = await freshTable();
    for (const definition of [miniSurvey, surveyB, surveyC, surveyD]) await publishDefinition(db, definition);
    await seed(db, miniSurvey, 'w0', 36, 3);
    await seed(db, miniSurvey, 'w1', 36, 3);
    // b's image rises by a point, and everyone there has seen the campaign at the follow-up.
    await seed(db, surveyB, 'w0', 36, 3);
    await seed(db, surveyB, 'w1', 36, 4, 1);
    await seed(db, surveyB, 'w2', 6, 4);
    await seed(db, surveyC, 'w0', 30, 3);
    await seed(db, surveyC, 'w1', 7, 5);
    await seed(db, surveyD, 'w0', 30, 3);
    report = reportAppWith(db);
  });

  it('shows each survey’s figures exactly as its impact report does', async () => {
    const res = await get('?surveys=mini,mini-b');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body: Body = await json(res);
    expect(body.indicators.map((i) => i.id)).toEqual(['image_index', 'recognition', 'nps']);
    const impacts = new Map<string, { indicators: { id: string; waves: { waveId: string }[] }[] }>();
    for (const id of ['mini', 'mini-b']) {
      const own = await report.app.request(`/api/v1/surveys/${id}/impact`, {
        headers: { authorization: `Bearer ${await report.token(['lead'], CAMPAIGNS)}` },
      });
      impacts.set(id, await json(own));
    }
    let compared = 0;
    for (const shared of body.indicators) {
      for (const { figures } of shared.waves) {
        for (const { surveyId, ...figure } of figures) {
          const own = impacts.get(surveyId)?.indicators.find((i) => i.id === shared.id);
          expect(figure).toEqual(own?.waves.find((w) => w.waveId === figure.waveId));
          compared++;
        }
      }
    }
    // 3 indicators x (2 surveys at baseline and follow-up 1, and b's second follow-up).
    expect(compared).toBe(15);
  });

  it('tests the difference in differences only where both have the baseline and that follow-up', async () => {
    const body: Body = await json(await get('?surveys=mini,mini-b'));
    const image = indicator(body, 'image_index');
    expect(image.waves.map((w) => w.slot)).toEqual(['baseline', 'follow-up 1', 'follow-up 2']);
    expect(image.differences.map((d) => [d.a, d.b, d.slot])).toEqual([['mini', 'mini-b', 'follow-up 1']]);
    // b's image rose by a point on 1..5 (25 index points, halved by the unchanged img_pair), a's did not.
    expect(image.differences[0]?.delta).toBeCloseTo(12.5, 6);
    expect(image.differences[0]).toMatchObject({ test: 'did-welch-t', significant: true });
    const recognition = indicator(body, 'recognition');
    // b went from one in two to everyone having seen the campaign, a stayed at one in two.
    expect(recognition.differences[0]?.delta).toBeCloseTo(0.5, 10);
    expect(recognition.differences[0]).toMatchObject({ test: 'did-z' });
  });

  it('shows no figure for a suppressed group and tests nothing against it', async () => {
    const body: Body = await json(await get('?surveys=mini,mini-b,mini-c'));
    const image = indicator(body, 'image_index');
    const at = (slot: string, surveyId: string) =>
      image.waves.find((w) => w.slot === slot)?.figures.find((f) => f.surveyId === surveyId);
    for (const [slot, surveyId] of [
      ['follow-up 2', 'mini-b'],
      ['follow-up 1', 'mini-c'],
    ] as const) {
      expect(at(slot, surveyId)).toEqual({
        surveyId,
        waveId: slot === 'follow-up 2' ? 'w2' : 'w1',
        n: null,
        estimate: null,
        se: null,
        ci: null,
        flags: ['suppressed'],
      });
    }
    const withC = image.differences.filter((d) => d.b === 'mini-c');
    expect(withC.map((d) => d.a)).toEqual(['mini', 'mini-b']);
    for (const d of withC) expect(d).toMatchObject({ delta: null, p: null, flags: ['suppressed'] });
    // Neither the count nor a figure of c's follow-up is anywhere in the answer or the fragment.
    const html = await (await get('?surveys=mini,mini-b,mini-c', { accept: 'text/html' })).text();
    expect(html).not.toMatch(/n = [1-9]<\/span>/);
    expect(html).toContain('nicht ausgewiesen');
  });

  it('answers 403 alike for a survey outside the token’s campaigns and for one that does not exist', async () => {
    const outside = await get('?surveys=mini,mini-d');
    const unknown = await get('?surveys=mini,no-such-survey');
    expect(outside.status).toBe(403);
    expect(unknown.status).toBe(403);
    expect(outside.headers.get('content-type')).toContain('application/problem+json');
    const body = await outside.text();
    expect(await unknown.text()).toBe(body);
    expect(body).not.toContain('another-campaign');
    // A lead of one campaign compares nothing else, and an evaluator nothing at all.
    expect((await get('?surveys=mini,mini-b', {}, [miniSurvey.campaign.id])).status).toBe(403);
    const evaluator = await report.token(['evaluator'], CAMPAIGNS);
    const res = await report.app.request('/api/v1/compare?surveys=mini,mini-b', {
      headers: { authorization: `Bearer ${evaluator}` },
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toBe(body);
    expect((await report.app.request('/api/v1/compare?surveys=mini,mini-b')).status).toBe(401);
  });

  it('refuses a selection that does not fit, naming the field', async () => {
    const cases: [string, string][] = [
      ['', 'surveys'],
      ['?surveys=mini', 'surveys'],
      ['?surveys=mini,mini', 'surveys'],
      ['?surveys=mini,MINI-B', 'surveys'],
      ['?surveys=mini,', 'surveys'],
      [`?surveys=${['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((x) => `mini-${x}`).join(',')}`, 'surveys'],
      ['?surveys=mini,mini-b&audience=pupils', 'audience'],
      // Neither asks businesses.
      ['?surveys=mini,mini-b&audience=business', 'audience'],
      // Neither names population margins.
      ['?surveys=mini,mini-b&weighted=true', 'weighted'],
      ['?surveys=mini,mini-b&weighted=yes', 'weighted'],
    ];
    for (const [query, field] of cases) {
      const res = await get(query);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type'), query).toContain('application/problem+json');
      expect(
        (await json(res)).errors.map((e: { field: string }) => e.field),
        query,
      ).toContain(field);
    }
  });

  it('renders the comparison for Accept: text/html, differences in the indicator’s unit with Holm-adjusted p', async () => {
    const res = await get('?surveys=mini,mini-b', { accept: 'text/html' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html.match(/<table class="compare-table">/g)?.length).toBe(3);
    expect(html).toContain('Unterschied in der Veränderung bis zur 1. Folgemessung');
    expect(html).toContain('+50,0 Prozentpunkte');
    expect(html).toContain('p (Holm-korrigiert) &lt; 0,001');
    const en = await (await get('?surveys=mini,mini-b&lang=en', { accept: 'text/html' })).text();
    expect(en).toContain('Difference in the change up to Follow-up 1');
    expect(en).toContain('+50.0 percentage points');
    expect(en).toContain('p (Holm-adjusted) &lt; 0.001');
  });

  it('logs who compared which surveys, without any figure', async () => {
    const lines: string[] = [];
    const { app, token } = reportAppWith(
      db,
      undefined,
      jsonLogger((line) => lines.push(line)),
    );
    const headers = { authorization: `Bearer ${await token(['lead'], CAMPAIGNS)}` };
    expect((await app.request('/api/v1/compare?surveys=mini-b,mini', { headers })).status).toBe(200);
    expect((await app.request('/api/v1/compare?surveys=mini,mini-d', { headers })).status).toBe(403);
    const reads = lines.map((l) => JSON.parse(l)).filter((l) => l.message === 'report read');
    expect(reads.map(({ time: _, ...rest }) => rest)).toEqual([
      {
        level: 'info',
        message: 'report read',
        surveyId: 'mini-b,mini',
        view: 'compare',
        audience: 'public',
        weighted: false,
        format: 'application/json',
        by: 'lead@example.org',
      },
    ]);
    expect(lines.join('\n')).not.toMatch(/estimate|image_index/);
  });
});

describe('compare page fragment and console home', () => {
  let report: ReturnType<typeof reportAppWith>;
  const fragment = async (query: string, campaigns = CAMPAIGNS) =>
    report.app.request(`/api/v1/reports/console/compare${query}`, {
      headers: { authorization: `Bearer ${await report.token(['lead'], campaigns)}`, accept: 'text/html' },
    });

  beforeAll(async () => {
    const db = await freshTable();
    for (const definition of [miniSurvey, surveyB, surveyD]) await publishDefinition(db, definition);
    await seed(db, miniSurvey, 'w0', 12, 3);
    await seed(db, surveyB, 'w0', 12, 3);
    report = reportAppWith(db);
  });

  it('offers only the surveys of the campaigns the caller leads', async () => {
    const html = await (await fragment('')).text();
    expect(html).toContain('value="mini"');
    expect(html).toContain('value="mini-b"');
    expect(html).not.toContain('mini-d');
    expect(html).toContain('Wählen Sie mindestens zwei Umfragen');
    const one = await (await fragment('', [miniSurvey.campaign.id])).text();
    expect(one).not.toContain('<form');
    expect(one).toContain('Rolle Kampagnenleitung oder Admin für mindestens zwei');
  });

  it('shows a refused selection next to its field and keeps what was chosen', async () => {
    const res = await fragment('?surveys=mini&audience=public');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(
      '<p class="field-error" id="error-surveys">Wählen Sie zwei bis sechs verschiedene Umfragen.</p>',
    );
    expect(html).toMatch(/<fieldset class="choices" aria-describedby="error-surveys">/);
    expect(html).toMatch(/value="mini" checked/);
    // Sent without any survey ticked (the form always sends the audience).
    expect(await (await fragment('?audience=public')).text()).toContain('id="error-surveys"');
    const audience = await (await fragment('?surveys=mini,mini-b&audience=business')).text();
    expect(audience).toContain('id="error-audience"');
    // A survey outside the campaigns is no field to fix: the page says "no access".
    expect((await fragment('?surveys=mini,mini-d')).status).toBe(403);
  });

  it('shows the comparison under the form once two surveys are chosen', async () => {
    const html = await (await fragment('?surveys=mini,mini-b&audience=public&lang=en')).text();
    expect(html).toContain('<table class="compare-table">');
    // Both surveys are of "Testkreis" and titled alike: the columns name them by id as well.
    expect(html).toContain('<th scope="col" class="num">Testkreis: Mini survey (mini-b)</th>');
  });

  it('links the console home to the comparison when the caller leads two surveys or more', async () => {
    const home = async (campaigns: string[], roles: ('lead' | 'evaluator')[] = ['lead']) =>
      json(
        await report.app.request('/api/v1/reports/console', {
          headers: { authorization: `Bearer ${await report.token(roles, campaigns)}` },
        }),
      );
    expect((await home(CAMPAIGNS)).compare).toBe('/console/compare');
    expect((await home([miniSurvey.campaign.id])).compare).toBeNull();
    expect((await home(CAMPAIGNS, ['evaluator'])).compare).toBeNull();
    const html = await (
      await report.app.request('/api/v1/reports/console?lang=en', {
        headers: { authorization: `Bearer ${await report.token(['lead'], CAMPAIGNS)}`, accept: 'text/html' },
      })
    ).text();
    expect(html).toContain('<a href="/console/compare?lang=en">Regional comparison</a>');
  });

  it('serves the page as a shell that hands the chosen surveys on as one list', async () => {
    const res = await report.app.request('/console/compare?surveys=mini&surveys=mini-b&audience=public&weighted=true');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(
      'data-fragment="/api/v1/reports/console/compare?surveys=mini%2Cmini-b&amp;audience=public&amp;weighted=true&amp;lang=de"',
    );
    expect(html).toContain('<h1>Regionalvergleich</h1>');
    expect(html).not.toContain('value="mini"');
  });
});
