import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoResponses } from '../../local/demo-data.js';
import { seededRandom } from '../../local/random.js';
import { readCells } from '../../shared/data/aggregate-store.js';
import { createChannel } from '../../shared/data/channel-store.js';
import { loadPopulation } from '../../shared/data/population-files.js';
import { publishDefinition, setWaveState } from '../../shared/data/survey-store.js';
import { type Db, keys } from '../../shared/data/table.js';
import type { QuestionDistribution } from '../../shared/impact/distributions.js';
import { impactReport } from '../../shared/impact/report.js';
import { snapshotOfCells } from '../../shared/impact/snapshot.js';
import { cellWeights } from '../../shared/impact/weights.js';
import { storeResponse } from '../../shared/response/submit.js';
import { recklinghausenSurvey } from '../fixtures/demo-cells.js';
import { storeMiniResponses } from '../fixtures/mini-response.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { encodeVersion3 } from '../fixtures/snapshot-v3.js';
import { reportAppWith } from '../setup/report-app.js';
import { json } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

const PATH = '/api/v1/surveys/mini/impact';

/** Stores `count` public responses to the mini survey in `waveId`: `miniAnswers` with `answers` over them. */
const give = (db: Db, waveId: string, count: number, answers: Record<string, unknown>, channel?: string) =>
  storeMiniResponses(db, { waveId, count, answers, channel });

type Body = {
  indicators: { id: string; waves: { n: number | null }[] }[];
  distributions: QuestionDistribution[];
  channels: { waveId: string; flags: string[]; channels: { channel: string; responses: number | null }[] }[];
};
const question = (body: Body, id: string) => {
  const q = body.distributions.find((d) => d.id === id);
  if (!q) throw new Error(`no distribution of ${id}`);
  return q;
};
/** A wave's shares by code, and its n. */
const sharesOf = (q: QuestionDistribution, waveId = 'w0') => {
  const wave = q.waves.find((w) => w.waveId === waveId);
  if (!wave) throw new Error(`no wave ${waveId}`);
  return { n: wave.n, flags: wave.flags, shares: Object.fromEntries(wave.options.map((o) => [o.code, o.share])) };
};

describe('impact API: answers per closed question and the channels', () => {
  let db: Db;
  let app: ReturnType<typeof reportAppWith>;
  const get = async (query = '', headers: Record<string, string> = {}) =>
    app.app.request(`${PATH}${query}`, {
      headers: { authorization: `Bearer ${await app.token(['lead'])}`, ...headers },
    });

  beforeAll(async () => {
    db = await freshTable();
    await publishDefinition(db, miniSurvey);
    await createChannel(
      db,
      'mini',
      { code: 'schule-beta', label: { de: 'Schule Beta', en: 'School Beta' }, kind: 'school', city: 'beta' },
      new Date('2026-11-01T00:00:00Z'),
    );
    // Wave w0, settled (it never had a state). Alpha: 24 respondents, 20 of whom know the campaign
    // and say where they saw it; Beta: 12, of whom 3 know it.
    const aware = { aided: 'yes' };
    const unaware = { aided: 'no', channels: undefined };
    // The free text follows "yes" to seen_ads only.
    const notSeen = { seen_what: undefined };
    await give(
      db,
      'w0',
      10,
      { city: 'alpha', ...aware, seen_ads: 'yes', img_modern: 5, channels: ['poster'] },
      'plakat-alpha',
    );
    await give(
      db,
      'w0',
      4,
      { city: 'alpha', ...aware, seen_ads: 'yes', img_modern: 4, channels: ['poster'] },
      'plakat-alpha',
    );
    await give(db, 'w0', 4, {
      city: 'alpha',
      ...aware,
      seen_ads: 'no',
      ...notSeen,
      img_modern: 4,
      channels: ['poster', 'social'],
    });
    await give(db, 'w0', 2, {
      city: 'alpha',
      ...aware,
      seen_ads: 'dk',
      ...notSeen,
      img_modern: 'dk',
      channels: ['none'],
    });
    await give(db, 'w0', 4, { city: 'alpha', ...unaware, seen_ads: 'no', ...notSeen, img_modern: 2 });
    await give(
      db,
      'w0',
      3,
      { city: 'beta', ...aware, seen_ads: 'yes', img_modern: 3, channels: ['social'] },
      'schule-beta',
    );
    await give(db, 'w0', 9, { city: 'beta', ...unaware, seen_ads: 'no', ...notSeen, img_modern: 3 });
    // Wave w1 still collects.
    await setWaveState(db, 'mini', { waveId: 'w1', state: 'open', changedAt: '2026-11-19T00:00:00Z' });
    await give(db, 'w1', 12, { city: 'alpha', img_modern: 1 });
    app = reportAppWith(db);
  });

  it('shows every closed question of the audience with shares equal to the hand counts, "don\'t know" last', async () => {
    const body: Body = await json(await get());
    // Not free text (seen_what), consent, the city (a dimension that identifies) or the free number (age).
    expect(body.distributions.map((d) => d.id)).toEqual([
      'seen_ads',
      'img_modern',
      'img_pair',
      'recommend',
      'grade',
      'aided',
      'channels',
    ]);
    const seen = question(body, 'seen_ads');
    expect(seen.type).toBe('yes_no');
    expect(seen.waves[0]?.options.map((o) => [o.code, o.label.de])).toEqual([
      ['yes', 'ja'],
      ['no', 'nein'],
      ['dk', 'weiß nicht'],
    ]);
    // 36 answered: yes 10 + 4 + 3, no 4 + 4 + 9, "don't know" 2.
    expect(sharesOf(seen)).toEqual({ n: 36, flags: [], shares: { yes: 17 / 36, no: 17 / 36, dk: 2 / 36 } });
    // A scale per point, "don't know" among those who answered (a mean would leave it out).
    expect(sharesOf(question(body, 'img_modern'))).toEqual({
      n: 36,
      flags: [],
      shares: { '1': 0, '2': 4 / 36, '3': 12 / 36, '4': 8 / 36, '5': 10 / 36, dk: 2 / 36 },
    });
    expect(question(body, 'img_modern').waves[0]?.options.map((o) => o.label.en)).toEqual([
      'strongly disagree',
      'disagree',
      'neither nor',
      'agree',
      'strongly agree',
      "don't know",
    ]);
    // Multiple choice: shares of those who answered, so they add up to more than 100 %.
    const channels = sharesOf(question(body, 'channels'));
    expect(channels).toEqual({
      n: 23,
      flags: ['unreliable'],
      shares: { poster: 18 / 23, social: 7 / 23, none: 2 / 23 },
    });
    expect(Object.values(channels.shares).reduce((a, b) => (a ?? 0) + (b ?? 0), 0)).toBeGreaterThan(1);
    // The rating lists 0 to 10 with its ends named.
    expect(question(body, 'recommend').waves[0]?.options.map((o) => o.code)).toEqual(
      Array.from({ length: 11 }, (_, i) => String(i)),
    );
    expect(question(body, 'recommend').waves[0]?.options[10]?.label.de).toBe('10 = sicher');
  });

  it('hides a city where few answered a question, and enough besides that the total less the shown cities gives nothing back', async () => {
    const all: Body = await json(await get());
    const byCity = new Map<string, Body>();
    for (const city of ['alpha', 'beta']) byCity.set(city, await json(await get(`?city=${city}`)));
    // Beta: 12 answered img_modern (shown), 3 said where they saw the campaign (hidden).
    expect(sharesOf(question(byCity.get('beta') as Body, 'img_modern'))).toEqual({
      n: 12,
      flags: ['unreliable'],
      shares: { '1': 0, '2': 0, '3': 1, '4': 0, '5': 0, dk: 0 },
    });
    expect(sharesOf(question(byCity.get('beta') as Body, 'channels'))).toMatchObject({
      n: null,
      flags: ['suppressed'],
    });
    // The attack: every question's total less its shown cities, in counts and per answer.
    for (const q of all.distributions) {
      const total = sharesOf(q);
      if (total.n === null) continue;
      const cities = [...byCity.values()].map((body) => sharesOf(question(body, q.id)));
      const hidden = cities.filter((c) => c.n === null);
      const shownN = cities.reduce((a, c) => a + (c.n ?? 0), 0);
      // Nothing hidden, or at least two cities hidden together, holding k or more.
      expect(hidden.length, q.id).not.toBe(1);
      if (hidden.length > 0) expect(total.n - shownN, q.id).toBeGreaterThanOrEqual(10);
    }
    // Without Alpha hidden too, 23 - 20 would tell Beta's 3, and Alpha's shares that all 3 ticked "social".
    expect(sharesOf(question(byCity.get('alpha') as Body, 'channels'))).toMatchObject({
      n: null,
      flags: ['suppressed'],
    });
    // Both cities' respondents stay shown: 24 and 12 leave Beta's 3 anywhere from 1 to 12.
    const beta = await json(await get('?city=beta'));
    expect(beta.indicators.find((i: { id: string }) => i.id === 'image_index').waves[0].n).toBe(12);
  });

  it('shows nothing of a wave still collecting', async () => {
    const body: Body = await json(await get());
    for (const q of body.distributions) {
      expect(sharesOf(q, 'w1').flags, q.id).toEqual(['collecting']);
      expect(sharesOf(q, 'w1').n).toBeNull();
      expect(Object.values(sharesOf(q, 'w1').shares).every((s) => s === null)).toBe(true);
    }
    expect(body.channels.find((c) => c.waveId === 'w1')).toEqual({ waveId: 'w1', flags: ['collecting'], channels: [] });
  });

  it('shows the channels that brought responses, hiding what fieldwork hides', async () => {
    const body: Body = await json(await get());
    // plakat-alpha 14, schule-beta 3 (hidden, and plakat-alpha with it), unknown 19.
    expect(body.channels.find((c) => c.waveId === 'w0')).toEqual({
      waveId: 'w0',
      flags: [],
      channels: [
        { channel: 'plakat-alpha', responses: null },
        { channel: 'schule-beta', responses: null },
        { channel: 'unknown', responses: 19 },
      ],
    });
    const fieldwork = await json(
      await app.app.request('/api/v1/surveys/mini/fieldwork', {
        headers: { authorization: `Bearer ${await app.token(['lead'])}` },
      }),
    );
    // Fieldwork lists the collecting wave first: w0 by its id.
    expect(fieldwork.waves.find((w: { waveId: string }) => w.waveId === 'w0').channels).toEqual([
      { channel: 'plakat-alpha', responses: null },
      { channel: 'schule-beta', responses: null },
      { channel: 'unknown', responses: 19 },
    ]);
    // Channels are not broken down by city.
    expect(((await json(await get('?city=alpha'))) as Body).channels).toEqual([]);
  });

  it('renders the answers per question in the dashboard, in German and English', async () => {
    const html = await (await get('', { accept: 'text/html' })).text();
    expect(html).toContain('Antworten je Frage');
    expect(html).toContain('Werbung gesehen?');
    expect(html).not.toContain('Was?');
    const en = await (await get('?lang=en', { accept: 'text/html' })).text();
    expect(en).toContain('Answers per question');
    expect(en).toContain('strongly agree');
  });

  it('shows a wave released before answers were kept without its answers, never as an error', async () => {
    const other = await freshTable();
    await publishDefinition(other, miniSurvey);
    await give(other, 'w0', 11, { city: 'alpha' });
    const raw = await readCells(other, 'mini', 'w0', miniSurvey.settings.aggregateShards);
    const { index } = snapshotOfCells(miniSurvey, 'w0', raw, undefined);
    await other.doc.send(
      new PutCommand({
        TableName: other.tableName,
        Item: { ...keys.impactRelease('mini', 'w0'), asOf: '2026-11-20T11:00:00.000Z', data: encodeVersion3(index) },
      }),
    );
    const own = reportAppWith(other);
    const res = await own.app.request(PATH, { headers: { authorization: `Bearer ${await own.token(['lead'])}` } });
    expect(res.status).toBe(200);
    const body: Body = await json(res);
    // The release's indicators, as released; its answers and channels were never kept.
    expect(body.indicators.find((i) => i.id === 'image_index')?.waves[0]?.n).toBe(11);
    expect(sharesOf(question(body, 'seen_ads')).flags).toEqual(['not-in-release']);
    expect(body.channels[0]).toEqual({ waveId: 'w0', flags: ['not-in-release'], channels: [] });
    const html = await (
      await own.app.request(PATH, {
        headers: { authorization: `Bearer ${await own.token(['lead'])}`, accept: 'text/html' },
      })
    ).text();
    expect(html).toContain('Antworten je Frage');
  });
});

describe('impact API: weighted answers', () => {
  it('weights the shares to the population where the sample is unbalanced, as the cells weighted give them', async () => {
    const definition = recklinghausenSurvey();
    const db = await freshTable();
    await publishDefinition(db, definition);
    const inputs = generateDemoResponses(definition, {
      count: 300,
      random: seededRandom(5),
      now: new Date('2027-06-30T12:00:00Z'),
    });
    for (let i = 0; i < inputs.length; i += 25)
      await Promise.all(inputs.slice(i, i + 25).map((r) => storeResponse(db, r)));
    const app = reportAppWith(db);
    const read = async (weighted: boolean) =>
      (await json(
        await app.app.request(`/api/v1/surveys/${definition.id}/impact?weighted=${weighted}`, {
          headers: { authorization: `Bearer ${await app.token(['lead'], [definition.campaign.id])}` },
        }),
      )) as Body;
    const [plain, weighted] = [await read(false), await read(true)];
    // A wave whose public respondents could be raked (one that does not converge is shown unweighted).
    const raked = (
      weighted as Body & { weighting: { groups: { waveId: string; converged: boolean }[] } }
    ).weighting.groups.find((g) => g.converged)?.waveId;
    expect(raked).toBeDefined();
    const wave = (body: Body) =>
      body.distributions.find((d) => d.id === 'img_modern')?.waves.find((x) => x.waveId === raked);
    const [p, w] = [wave(plain), wave(weighted)];
    expect(p?.n).toBeGreaterThan(30);
    expect(w?.n).toBe(p?.n);
    expect(w?.nEff).toBeLessThan(w?.n ?? 0);
    const sum = (shares: (number | null)[]) => shares.reduce<number>((a, s) => a + (s ?? 0), 0);
    expect(sum(w?.options.map((o) => o.share) ?? [])).toBeCloseTo(1, 12);
    const gaps = (p?.options ?? []).map((o, i) => Math.abs((o.share ?? 0) - (w?.options[i]?.share ?? 0)));
    expect(Math.max(...gaps)).toBeGreaterThan(0.005);
    // The same shares as the cells give, weighted by raking them afresh (not the snapshot's path).
    const population = await loadPopulation('kreis-recklinghausen');
    const cells = new Map(
      await Promise.all(
        definition.waves.map(
          async (x) => [x.id, await readCells(db, definition.id, x.id, definition.settings.aggregateShards)] as const,
        ),
      ),
    );
    const weights = cellWeights(definition, cells, population, definition.settings.weighting?.cap ?? 5).weights;
    const fromCells = impactReport(definition, cells, { audience: 'public' }, weights)
      .distributions.find((d) => d.id === 'img_modern')
      ?.waves.find((x) => x.waveId === raked);
    expect(fromCells?.options).toHaveLength(6);
    fromCells?.options.forEach((o, i) => {
      expect(w?.options[i]?.share ?? Number.NaN).toBeCloseTo(o.share ?? 0, 9);
    });
  }, 60_000);
});
