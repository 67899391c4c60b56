import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Counters } from '../../shared/aggregate/contribution.js';
import { coarsened, planPooling } from '../../shared/aggregate/pooling-plan.js';
import { rebuildAggregates } from '../../shared/data/aggregate-rebuild.js';
import { checkAggregates, readCells, totalOf } from '../../shared/data/aggregate-store.js';
import { poolExpiredCells } from '../../shared/data/cell-pooling.js';
import { responseKey, scanResponses } from '../../shared/data/response-store.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import { type Db, keys } from '../../shared/data/table.js';
import { fieldworkReport } from '../../shared/fieldwork/report.js';
import { impactReport, indexWave } from '../../shared/impact/report.js';
import { viewCells } from '../../shared/impact/sums.js';
import { miniResponse, saveMini } from '../fixtures/mini-response.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';

/** Retention of the mini survey: 24 months after each response's day (no wave declares `closes`). */
const NOW = new Date('2026-06-01T00:00:00Z');
const EXPIRED_DAY = '2024-03-04';
const LIVE_DAY = '2026-05-20';
const AUDIENCE_ONLY = 'public|_|_|_|_|_|_';

/** A public response on `day` from `city`, having seen the campaign or not; `i` varies two answers. */
async function submit(db: Db, waveId: string, day: string, city: string, seen: boolean, i: number) {
  const exposure = seen ? { aided: 'yes', channels: ['poster'] } : { aided: 'no', channels: [] };
  const answers = { ...exposure, city, recommend: i % 11, img_modern: 1 + (i % 5) };
  await saveMini(db, miniResponse(waveId, answers, day));
}

/** Stores `count` responses per (day, city, seen) of the plan in wave w0. */
async function fill(db: Db, plan: [day: string, city: string, seen: boolean, count: number][]) {
  let i = 0;
  for (const [day, city, seen, count] of plan) {
    for (let k = 0; k < count; k++) await submit(db, 'w0', day, city, seen, i++);
  }
}

async function storedDays(db: Db): Promise<string[]> {
  const days: string[] = [];
  for await (const r of scanResponses(db, miniSurvey.id)) days.push(r.submittedOn);
  return days.sort();
}

/** A report with every number rounded to 9 decimals: sums added in another order differ in the last bits. */
const rounded = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_, v) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v)));

/** Equal counters, sums compared to rounding. */
function expectSameCounters(actual: Counters, expected: Counters) {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, value] of Object.entries(expected)) expect(actual[name]).toBeCloseTo(value, 6);
}

const cellsOf = (db: Db) => readCells(db, miniSurvey.id, 'w0', miniSurvey.settings.aggregateShards);

describe('pooling small cells past retention', () => {
  it('moves every cell past retention under k into a coarser one, keeping totals, live cells and zero drift', async () => {
    // Prepare: alpha/seen is large; the rest are small; beta/not seen has a response within retention.
    const db = await freshTable();
    await publishDefinition(db, miniSurvey);
    await fill(db, [
      [EXPIRED_DAY, 'alpha', true, 11],
      [EXPIRED_DAY, 'alpha', false, 3],
      [EXPIRED_DAY, 'beta', true, 2],
      [EXPIRED_DAY, 'beta', false, 1],
      [LIVE_DAY, 'beta', false, 1],
      [EXPIRED_DAY, 'elsewhere', true, 1],
    ]);
    const before = await cellsOf(db);
    // Act
    const report = await poolExpiredCells(db, miniSurvey, { now: NOW });
    const after = await cellsOf(db);
    const again = await poolExpiredCells(db, miniSurvey, { now: NOW });

    // Assess: where each small cell went
    expect(report.expiredDeleted).toBe(18);
    expect([...after.keys()].sort()).toEqual([AUDIENCE_ONLY, 'public|alpha|_|_|_|_|yes', 'public|beta|_|_|_|_|no']);
    expect(after.get('public|alpha|_|_|_|_|yes')).toEqual(before.get('public|alpha|_|_|_|_|yes'));
    expect(after.get('public|beta|_|_|_|_|no')).toEqual(before.get('public|beta|_|_|_|_|no'));
    expect(after.get(AUDIENCE_ONLY)?.n).toBe(3 + 2 + 1);
    expect(report.pooled).toEqual({ w0: 3 });
    expect(report.leftUnderK).toEqual({ w0: 1 });
    // Nothing counted twice or lost; the one response within retention is still stored.
    expectSameCounters(totalOf(after), totalOf(before));
    // A lead's figures for the whole audience are the same; by city, the pooled went to "not stated".
    const publicFigures = (cells: Map<string, Counters>) =>
      rounded(
        impactReport(miniSurvey, new Map([['w0', cells]]), { audience: 'public' }).indicators.map((i) => i.waves),
      );
    expect(publicFigures(after)).toEqual(publicFigures(before));
    // (Counted from the cells the report reads: a lead sees Alpha hidden either way, as the gate hides
    // it beside the small "not stated".)
    const alphaN = (cells: Map<string, Counters>) =>
      [...(indexWave('w0', viewCells(cells), miniSurvey, undefined).get('public')?.get('alpha')?.values() ?? [])]
        .map((byIndicator) => byIndicator.get('image_index')?.n ?? 0)
        .reduce((a, b) => a + b, 0);
    expect([alphaN(before), alphaN(after)]).toEqual([14, 11]);
    const fieldwork = (cells: Map<string, Counters>) => fieldworkReport(miniSurvey, new Map([['w0', cells]])).waves[0];
    expect(fieldwork(after)?.responses).toEqual(fieldwork(before)?.responses);
    expect(fieldwork(after)?.periods).toEqual(fieldwork(before)?.periods);
    expect(await storedDays(db)).toEqual([LIVE_DAY]);
    expect(await checkAggregates(db, miniSurvey, NOW)).toEqual({
      drift: [],
      expired: [{ waveId: 'w0', responses: 18, poolable: 0 }],
    });
    expect(again).toMatchObject({ expiredDeleted: 0, pooled: {}, skipped: 0 });
    // A rebuild from the responses left keeps the pooled cells as they are.
    expect((await rebuildAggregates(db, miniSurvey, { now: NOW })).changes).toEqual([]);
  });

  it('has verify count the cells pooling would move once TTL deleted their responses', async () => {
    // Prepare: alpha/not seen all expired (poolable); beta/seen mixes an expired and a live day (stays).
    const unpooled = await freshTable();
    await publishDefinition(unpooled, miniSurvey);
    await fill(unpooled, [
      [EXPIRED_DAY, 'alpha', false, 3],
      [EXPIRED_DAY, 'beta', true, 2],
      [LIVE_DAY, 'beta', true, 1],
    ]);

    // Act: TTL deletes the expired responses.
    for await (const r of scanResponses(unpooled, miniSurvey.id)) {
      if (r.submittedOn !== EXPIRED_DAY) continue;
      await unpooled.doc.send(new DeleteCommand({ TableName: unpooled.tableName, Key: responseKey(r) }));
    }

    // Assess
    expect((await checkAggregates(unpooled, miniSurvey, NOW)).expired).toEqual([
      { waveId: 'w0', responses: 5, poolable: 1 },
    ]);
  });

  it('leaves a cell with any day within retention where it is, and pools it once its days expire', async () => {
    // Prepare: one small cell mixing an expired and a live day.
    const db = await freshTable();
    await publishDefinition(db, miniSurvey);
    await fill(db, [
      [EXPIRED_DAY, 'beta', true, 2],
      [LIVE_DAY, 'beta', true, 1],
    ]);

    // Act
    const now = await poolExpiredCells(db, miniSurvey, { now: NOW });
    const keysNow = [...(await cellsOf(db)).keys()];
    const later = await poolExpiredCells(db, miniSurvey, { now: new Date('2028-06-01T00:00:00Z') });

    // Assess
    expect(now.pooled).toEqual({});
    expect(keysNow).toEqual(['public|beta|_|_|_|_|yes']);
    expect(later.pooled).toEqual({ w0: 1 });
    expect([...(await cellsOf(db)).keys()]).toEqual([AUDIENCE_ONLY]);
    expect((await checkAggregates(db, miniSurvey, new Date('2028-06-01T00:00:00Z'))).drift).toEqual([]);
  });

  it('leaves a cell spread over more items than one transaction takes as it is, and says so', async () => {
    // Prepare: a small expired cell whose items reach past DynamoDB's 100 per transaction.
    const db = await freshTable();
    await publishDefinition(db, miniSurvey);
    await fill(db, [[EXPIRED_DAY, 'beta', true, 2]]);
    const cell = 'public|beta|_|_|_|_|yes';
    for (let part = 1; part <= 100; part++) {
      await db.doc.send(
        new PutCommand({
          TableName: db.tableName,
          Item: { pk: keys.aggregatePartition(miniSurvey.id, 'w0', 0), sk: `${cell}#p${part}`, [`zz${part}#n`]: 0 },
        }),
      );
    }
    const before = await cellsOf(db);

    // Act
    const report = await poolExpiredCells(db, miniSurvey, { now: NOW });

    // Assess
    expect(report).toMatchObject({ pooled: {}, tooLarge: 1, skipped: 0 });
    expect(await cellsOf(db)).toEqual(before);
  });

  it('counts every cell once when two runs pool at the same time', async () => {
    // Prepare
    const db = await freshTable();
    await publishDefinition(db, miniSurvey);
    await fill(db, [
      [EXPIRED_DAY, 'alpha', false, 2],
      [EXPIRED_DAY, 'beta', true, 1],
      [EXPIRED_DAY, 'beta', false, 2],
      [EXPIRED_DAY, 'elsewhere', false, 1],
    ]);
    const before = await cellsOf(db);

    // Act
    const [a, b] = await Promise.all([
      poolExpiredCells(db, miniSurvey, { now: NOW, k: 5 }),
      poolExpiredCells(db, miniSurvey, { now: NOW, k: 5 }),
    ]);

    // Assess
    const after = await cellsOf(db);
    expect([...after.keys()]).toEqual([AUDIENCE_ONLY]);
    expectSameCounters(totalOf(after), totalOf(before));
    expect((a.pooled.w0 ?? 0) + (b.pooled.w0 ?? 0)).toBe(4);
    expect((await checkAggregates(db, miniSurvey, NOW)).drift).toEqual([]);
  });
});

describe('planPooling', () => {
  const expired = (day: string) => day < '2025-01-01';
  const cell = (n: number, day: string): Counters => ({ n, [`@day#${day}`]: n });

  it('coarsens from the last dimension (exposure) to the first (city), keeping the audience', () => {
    expect(coarsened('public|alpha|a14|f|_|_|yes', 1)).toBe('public|alpha|a14|f|_|_|_');
    expect(coarsened('public|alpha|a14|f|_|_|yes', 4)).toBe('public|alpha|a14|_|_|_|_');
    expect(coarsened('public|alpha|a14|f|_|_|yes', 6)).toBe(AUDIENCE_ONLY);
  });

  it('pools only as far as needed: two small cells of one city meet at the city level', () => {
    // Act
    const { moves, leftUnderK } = planPooling(
      new Map([
        ['public|alpha|_|_|_|_|yes', cell(3, '2024-02-01')],
        ['public|alpha|_|_|_|_|no', cell(3, '2024-02-02')],
        ['public|beta|_|_|_|_|yes', cell(40, '2024-02-01')],
      ]),
      5,
      expired,
    );

    // Assess
    expect(Object.fromEntries(moves)).toEqual({
      'public|alpha|_|_|_|_|no': 'public|alpha|_|_|_|_|_',
      'public|alpha|_|_|_|_|yes': 'public|alpha|_|_|_|_|_',
    });
    expect(leftUnderK).toBe(0);
  });

  it('property: moves only cells past retention, and leaves every group past retention at k or more, or at the audience alone', () => {
    const value = (codes: string[]) => fc.constantFrom(...codes);
    const key = fc
      .tuple(
        value(['public', 'business']),
        value(['alpha', 'beta', '_']),
        value(['a1', 'a2', '_']),
        value(['yes', 'no']),
      )
      .map(([audience, city, age, exposure]) => `${audience}|${city}|${age}|_|_|_|${exposure}`);
    const counters = fc
      .tuple(fc.integer({ min: 1, max: 12 }), fc.constantFrom('2024-01-10', '2024-06-30', '2026-01-10'))
      .map(([n, day]) => cell(n, day));
    fc.assert(
      fc.property(fc.dictionary(key, counters, { maxKeys: 20 }), fc.integer({ min: 2, max: 15 }), (dict, k) => {
        const cells = new Map(Object.entries(dict));
        const { moves } = planPooling(cells, k, expired);
        const groups = new Map<string, { n: number; live: boolean }>();
        for (const [source, counters] of cells) {
          const live = !expired(Object.keys(counters)[1]?.slice('@day#'.length) ?? '');
          if (moves.has(source)) expect(live).toBe(false);
          const target = moves.get(source) ?? source;
          expect(target.split('|')[0]).toBe(source.split('|')[0]);
          const group = groups.get(target) ?? { n: 0, live: false };
          groups.set(target, { n: group.n + (counters.n ?? 0), live: group.live || live });
        }
        const total = [...cells.values()].reduce((sum, c) => sum + (c.n ?? 0), 0);
        expect([...groups.values()].reduce((sum, g) => sum + g.n, 0)).toBe(total);
        for (const [target, group] of groups) {
          if (group.live) continue;
          expect(group.n >= k || /^[a-z]+\|_\|_\|_\|_\|_\|_$/.test(target)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
