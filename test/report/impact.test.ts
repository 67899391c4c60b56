import { randomBytes } from 'node:crypto';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { devKeyAuthenticator } from '../../functions/lib/authenticate.js';
import { jsonLogger, silentLogger } from '../../functions/lib/logger.js';
import { createReportApp } from '../../functions/report/app.js';
import { DEV_AUDIENCE, DEV_ISSUER, mintDevToken } from '../../local/dev-token.js';
import { readCells } from '../../shared/data/aggregate-store.js';
import { createCatalog } from '../../shared/data/catalog.js';
import { publishDefinition, setWaveState } from '../../shared/data/survey-store.js';
import { type Db, keys } from '../../shared/data/table.js';
import { impactReport } from '../../shared/impact/report.js';
import { storeResponse } from '../../shared/response/submit.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';
import { reportAppWith } from '../setup/report-app.js';
import { json } from '../setup/respond-app.js';
import { failingTransactions, freshTable } from '../setup/table.js';

const PATH = '/api/v1/surveys/mini/impact';

describe('impact API', () => {
  let db: Db;
  let report: ReturnType<typeof reportAppWith>;
  const get = async (
    query = '',
    headers: Record<string, string> = {},
    roles: ('lead' | 'admin' | 'evaluator')[] = ['lead'],
  ) =>
    report.app.request(`${PATH}${query}`, {
      headers: { authorization: `Bearer ${await report.token(roles)}`, ...headers },
    });
  /** Image answers per wave: the follow-up rates Handwerk higher. */
  const plan: [string, number, number][] = [
    ['w0', 40, 3],
    ['w1', 35, 4],
  ];

  beforeAll(async () => {
    db = await freshTable();
    await publishDefinition(db, miniSurvey);
    const now = new Date('2026-11-20T10:00:00Z');
    let i = 0;
    for (const [waveId, count, centre] of plan) {
      const writes = Array.from({ length: count }, (_, j) =>
        storeResponse(db, {
          definition: miniSurvey,
          audience: 'public',
          waveId,
          submissionId: `00000000-0000-4000-8000-${String(++i).padStart(12, '0')}`,
          channel: undefined,
          activeChannels: new Set(),
          locale: 'de',
          // Around the centre: centre-1, centre, centre+1 in turn; cities alpha and beta.
          answers: { ...miniAnswers, img_modern: centre - 1 + (j % 3), city: j % 4 === 0 ? 'beta' : 'alpha' },
          now,
        }),
      );
      await Promise.all(writes);
    }
    report = reportAppWith(db);
  });

  it('answers 401 without a token and 403 for an evaluator or another campaign', async () => {
    expect((await report.app.request(PATH)).status).toBe(401);
    expect((await get('', {}, ['evaluator'])).status).toBe(403);
    const other = await report.token(['lead'], ['another-campaign']);
    expect((await report.app.request(PATH, { headers: { authorization: `Bearer ${other}` } })).status).toBe(403);
    expect((await get('', {}, ['admin'])).status).toBe(200);
  });

  it('reports what the pure computation makes of the stored cells, for leads', async () => {
    const res = await get();
    expect(res.status).toBe(200);
    const body = await json(res);
    const cells = new Map(
      await Promise.all(miniSurvey.waves.map(async (w) => [w.id, await readCells(db, 'mini', w.id, 8)] as const)),
    );
    const expected = impactReport(miniSurvey, cells, { audience: 'public' });
    expect(body).toEqual({
      ...JSON.parse(JSON.stringify(expected)),
      weighting: null,
      generatedAt: '2026-11-20T12:00:00.000Z',
      dataAsOf: '2026-11-20T12:00:00.000Z',
    });

    const image = body.indicators.find((i: { id: string }) => i.id === 'image_index');
    expect(image.waves.map((w: { n: number }) => w.n)).toEqual([40, 35]);
    // The follow-up rates img_modern one point higher on 1..5 (= 12.5 index points, halved by img_pair).
    expect(image.changes[0]).toMatchObject({ from: 'w0', to: 'w1', significant: true, test: 'welch-t' });
    expect(image.changes[0].delta).toBeCloseTo(12.5, 1);
  });

  it('filters by city and compares the waves asked for', async () => {
    const beta = await json(await get('?city=beta&from=w1&to=w0&adjustment=benjamini-hochberg'));
    expect(beta).toMatchObject({ city: 'beta', adjustment: 'benjamini-hochberg' });
    const image = beta.indicators.find((i: { id: string }) => i.id === 'image_index');
    // 10 of 40 and 9 of 35 answered from Beta: 9 is below the minimum cell size of 10.
    expect(image.waves).toMatchObject([
      { waveId: 'w0', n: 10, flags: ['unreliable'] },
      { waveId: 'w1', n: null, flags: ['suppressed'] },
    ]);
    expect(image.changes).toEqual([expect.objectContaining({ from: 'w1', to: 'w0', p: null, significant: false })]);
    expect(image.cities).toEqual([]);
  });

  it('puts a verdict first: the change since the baseline in words, in the indicator unit', async () => {
    const body = await json(await get());
    expect(body.summary).toMatchObject({ from: 'w0', to: 'w1' });
    const image = body.summary.lines.find((l: { indicator: string }) => l.indicator === 'image_index');
    const row = body.indicators.find((i: { id: string }) => i.id === 'image_index').changes[0];
    expect(image).toMatchObject({
      unit: 'index_points',
      better: 'higher',
      judgement: 'rose',
      assessment: 'better',
      change: { delta: row.delta, ci: row.ci, pAdjusted: row.pAdjusted, significant: true },
      from: { waveId: 'w0', n: 40 },
      to: { waveId: 'w1', n: 35 },
      target: null,
    });
    // A chosen pair is what the verdict reads; from Beta the follow-up is hidden: too few to tell.
    const beta = await json(await get('?city=beta&from=w0&to=w1'));
    expect(beta.compared).toEqual({ from: 'w0', to: 'w1' });
    expect(beta.summary.lines.find((l: { indicator: string }) => l.indicator === 'image_index')).toMatchObject({
      judgement: 'too_few',
      to: { n: null, flags: ['suppressed'] },
    });
    const html = await (await get('', { accept: 'text/html' })).text();
    expect(html).toMatch(/<h2 id="verdict">Auf einen Blick<\/h2>/);
    expect(html).toContain('gestiegen – besser');
    expect(html).toMatch(/\+12,\d Indexpunkte \(95-%-Intervall \+\d+,\d bis \+\d+,\d\)/);
  });

  it('tests each target one-sided and reads it as the interval does', async () => {
    const cells = new Map(
      await Promise.all(miniSurvey.waves.map(async (w) => [w.id, await readCells(db, 'mini', w.id, 8)] as const)),
    );
    const source = { de: 'Beschluss', en: 'Decision' };
    const target = (value: number, direction: 'at_least' | 'at_most', extra: object = {}) => ({
      indicator: 'image_index',
      audience: 'public' as const,
      direction,
      value,
      deadline: '2027-06-30',
      source,
      ...extra,
    });
    const run = (targets: object[], today = '2027-01-01') =>
      impactReport({ ...miniSurvey, targets } as typeof miniSurvey, cells, { audience: 'public', today }).targets;
    const [plain] = run([target(50, 'at_least')]);
    const estimate = plain?.figure.estimate ?? Number.NaN;
    const ci = plain?.figure.ci ?? { lo: Number.NaN, hi: Number.NaN };
    // The latest wave with a figure is tested: the follow-up, about 62.5 (index points).
    expect(plain).toMatchObject({ waveId: 'w1', state: 'reached', value: 50, deadlinePassed: false });
    expect(plain?.test?.p).toBeLessThan(0.025);
    const states = (value: number, direction: 'at_least' | 'at_most') => run([target(value, direction)])[0]?.state;
    expect(states(estimate, 'at_least')).toBe('undecided');
    expect(states(ci.lo + 0.01, 'at_least')).toBe('undecided');
    expect(states(ci.lo - 0.01, 'at_least')).toBe('reached');
    expect(states(ci.hi + 0.01, 'at_least')).toBe('not_reached');
    expect(states(ci.hi + 0.01, 'at_most')).toBe('reached');
    expect(states(ci.lo - 0.01, 'at_most')).toBe('not_reached');
    expect(run([target(95, 'at_least')], '2027-07-01')[0]).toMatchObject({
      state: 'not_reached',
      deadlinePassed: true,
    });
    // A named wave is tested once it has a figure; Beta's follow-up is hidden, so only the baseline
    // (10 answers, unreliable) is there: too few to test.
    expect(run([target(50, 'at_least', { wave: 'w0' })])[0]).toMatchObject({ waveId: 'w0', checkedBy: 'w0' });
    expect(run([target(50, 'at_least', { cities: ['beta'] })])[0]).toMatchObject({ state: 'too_few', test: null });
    // A share target is written in percent and reported as a proportion.
    const [share] = run([{ ...target(20, 'at_least'), indicator: 'recognition' }]);
    expect(share?.value).toBeCloseTo(0.2, 12);
  });

  it('refuses parameters that do not fit the survey, naming each', async () => {
    const cases: [string, string][] = [
      ['?audience=business', 'audience'],
      ['?audience=pupils', 'audience'],
      ['?city=gamma', 'city'],
      ['?from=w0', 'to'],
      ['?from=w0&to=w0', 'to'],
      ['?from=w0&to=w7', 'to'],
      ['?adjustment=bonferroni', 'adjustment'],
      // The mini survey names no population margins.
      ['?weighted=true', 'weighted'],
      ['?weighted=yes', 'weighted'],
    ];
    for (const [query, field] of cases) {
      const res = await get(query);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(
        (await json(res)).errors.map((e: { field: string }) => e.field),
        query,
      ).toContain(field);
    }
  });

  it('gives the same figures as CSV for Accept: text/csv', async () => {
    const res = await get('', { accept: 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="impact-mini-public.csv"');
    // As German Excel reads it: a byte order mark, ";" between cells, a decimal comma.
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const rows: Record<string, string>[] = parse(text, { columns: true, delimiter: ';', bom: true });
    const body = await json(await get());
    const image = body.indicators.find((i: { id: string }) => i.id === 'image_index');
    const estimate = rows.find(
      (r) => r.Bereich === 'Wert je Welle' && r.Kennung === 'image_index' && r.Welle === 'Folgemessung',
    );
    // Rounded to one decimal as the dashboard shows it, with a comma.
    expect(estimate).toMatchObject({ Indikator: 'Imageindex', Einheit: 'Indexpunkte', n: '35' });
    expect(estimate?.Wert).toBe(image.waves[1].estimate.toFixed(1).replace('.', ','));
    const change = rows.find((r) => r.Bereich === 'Veränderung' && r.Kennung === 'image_index');
    expect(change).toMatchObject({ Welle: 'Folgemessung', 'verglichen mit': 'Nullmessung', signifikant: 'ja' });
    expect(change?.['p (Holm-korrigiert)']).toMatch(/^(< 0,001|0,\d{3})$/);
    // A share in percent, its change in percentage points.
    const recognition = rows.find((r) => r.Bereich === 'Veränderung' && r.Kennung === 'recognition');
    expect(recognition?.Einheit).toBe('Prozentpunkte');
    // The verdict comes first.
    expect(rows[0]).toMatchObject({ Bereich: 'Auswahl', Gruppe: 'Bürgerinnen und Bürger', Aussage: 'ungewichtet' });
    expect(rows[1]).toMatchObject({ Bereich: 'Auf einen Blick', Aussage: expect.stringMatching(/gestiegen/) });
    // No text cell starts like a formula, so none needs the apostrophe Excel would show.
    expect(rows.filter((r) => Object.values(r).some((v) => v.startsWith("'")))).toEqual([]);
    expect(rows.filter((r) => r.Bereich === 'nach Ort').length).toBeGreaterThan(0);

    const en = await get('?lang=en', { accept: 'text/csv' });
    const enRows: Record<string, string>[] = parse(await en.text(), { columns: true, bom: true });
    const enEstimate = enRows.find(
      (r) => r.section === 'Value per wave' && r.id === 'image_index' && r.wave === 'Follow-up',
    );
    expect(enEstimate?.value).toBe(image.waves[1].estimate.toFixed(1));
  });

  it('says in the dashboard when the figures were read, in local time', async () => {
    const html = await (await get('?lang=de', { accept: 'text/html' })).text();
    expect(html).toContain('<time datetime="2026-11-20T12:00:00.000Z">Stand der Zahlen: 20.11.2026, 13:00</time>');
    const en = await (await get('?lang=en', { accept: 'text/html' })).text();
    expect(en).toContain('Figures as of 20 Nov 2026, 13:00');
  });

  it('serves the snapshot until it is older than IMPACT_MAX_AGE, then the new answers, and no figure of a collecting wave', async () => {
    let now = new Date('2026-11-20T12:00:00Z');
    const key = new Uint8Array(randomBytes(32));
    const app = createReportApp({
      db,
      catalog: createCatalog(db, { ttlMs: 0 }),
      logger: silentLogger,
      now: () => now,
      authenticate: devKeyAuthenticator(key, DEV_ISSUER, DEV_AUDIENCE),
      impactMaxAgeMs: 120_000,
    });
    const token = await mintDevToken({ sub: 'lead', roles: ['lead'], campaigns: [miniSurvey.campaign.id] }, key, {
      ttl: '1h',
    });
    const authorization = `Bearer ${token}`;
    // A collecting wave shows how many answered (the dashboard's fieldwork part), never a figure.
    const n = async () => {
      const body = await json(await app.request(PATH, { headers: { authorization } }));
      expect(body.indicators.find((i: { id: string }) => i.id === 'image_index').waves[1]).toMatchObject({
        n: null,
        estimate: null,
        flags: ['collecting'],
      });
      const html = await (await app.request(PATH, { headers: { authorization, accept: 'text/html' } })).text();
      // The exposure contrast shows the last wave with figures, not the one still collecting.
      expect(html).toContain('im Vergleich zu allen anderen – Nullmessung');
      return Number(/Folgemessung<\/th><td class="num">(\d+)<\/td>/.exec(html)?.[1]);
    };
    // The mini survey's waves have no state here, so the reads above released w1 as it was: set that
    // release aside and open w1, so it collects as a wave that was never shown.
    await db.doc.send(new DeleteCommand({ TableName: db.tableName, Key: keys.impactRelease('mini', 'w1') }));
    await setWaveState(db, 'mini', { waveId: 'w1', state: 'open', changedAt: '2026-11-20T09:00:00Z' });
    now = new Date('2026-11-20T12:10:00Z');
    expect(await n()).toBe(35);
    await storeResponse(db, {
      definition: miniSurvey,
      audience: 'public',
      waveId: 'w1',
      submissionId: '00000000-0000-4000-8000-999999999999',
      channel: undefined,
      activeChannels: new Set(),
      locale: 'de',
      answers: miniAnswers,
      now,
    });
    now = new Date('2026-11-20T12:11:59Z');
    expect(await n()).toBe(35);
    now = new Date('2026-11-20T12:12:00Z');
    expect(await n()).toBe(36);
  });

  it('answers from the cells when the snapshot cannot be stored, and logs why without any figure', async () => {
    const lines: string[] = [];
    const key = new Uint8Array(randomBytes(32));
    const failing = failingTransactions(db, Object.assign(new Error('table is busy'), { name: 'ThrottlingException' }));
    const app = createReportApp({
      db: failing,
      catalog: createCatalog(db, { ttlMs: 0 }),
      logger: jsonLogger((line) => lines.push(line)),
      now: () => new Date('2026-11-21T08:00:00Z'),
      authenticate: devKeyAuthenticator(key, DEV_ISSUER, DEV_AUDIENCE),
    });
    const token = await mintDevToken({ sub: 'lead', roles: ['lead'], campaigns: [miniSurvey.campaign.id] }, key, {
      ttl: '1h',
    });
    const res = await app.request(PATH, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    // w0 never collected, so its snapshot from the first test is final; the open w1 is read afresh.
    expect((await json(res)).dataAsOf).toBe('2026-11-20T12:00:00.000Z');
    const warnings = lines.map((l) => JSON.parse(l)).filter((l) => l.message === 'impact snapshot not stored');
    expect(warnings.map((w) => w.waveId)).toEqual(['w1']);
    expect(warnings[0]).toMatchObject({
      level: 'warn',
      surveyId: 'mini',
      reason: 'ThrottlingException: table is busy',
    });
    expect(lines.join('\n')).not.toMatch(/estimate|image_index/);
  });

  it('logs who read which view and breakdown, without any figure', async () => {
    const lines: string[] = [];
    const key = new Uint8Array(randomBytes(32));
    const app = createReportApp({
      db,
      catalog: createCatalog(db, { ttlMs: 0 }),
      logger: jsonLogger((line) => lines.push(line)),
      now: () => new Date('2026-11-21T08:00:00Z'),
      authenticate: devKeyAuthenticator(key, DEV_ISSUER, DEV_AUDIENCE),
    });
    const token = await mintDevToken({ sub: 'lead-7', roles: ['lead'], campaigns: [miniSurvey.campaign.id] }, key, {
      ttl: '1h',
    });
    const headers = { authorization: `Bearer ${token}` };
    expect((await app.request(`${PATH}?city=alpha`, { headers })).status).toBe(200);
    expect((await app.request(PATH, { headers: { ...headers, accept: 'text/csv' } })).status).toBe(200);
    expect((await app.request('/api/v1/surveys/mini/fieldwork', { headers })).status).toBe(200);
    // A reader without the role is refused before anything is logged as read.
    const evaluator = await mintDevToken(
      { sub: 'eva', roles: ['evaluator'], campaigns: [miniSurvey.campaign.id] },
      key,
      {
        ttl: '1h',
      },
    );
    expect((await app.request(PATH, { headers: { authorization: `Bearer ${evaluator}` } })).status).toBe(403);
    const reads = lines.map((l) => JSON.parse(l)).filter((l) => l.message === 'report read');
    expect(reads.map(({ time: _, ...rest }) => rest)).toEqual([
      {
        level: 'info',
        message: 'report read',
        surveyId: 'mini',
        view: 'impact',
        audience: 'public',
        city: 'alpha',
        weighted: false,
        format: 'application/json',
        by: 'lead-7',
      },
      {
        level: 'info',
        message: 'report read',
        surveyId: 'mini',
        view: 'impact',
        audience: 'public',
        weighted: false,
        format: 'text/csv',
        by: 'lead-7',
      },
      {
        level: 'info',
        message: 'report read',
        surveyId: 'mini',
        view: 'fieldwork',
        format: 'application/json',
        by: 'lead-7',
      },
    ]);
    expect(lines.join('\n')).not.toMatch(/estimate|image_index|"n":/);
  });
});
