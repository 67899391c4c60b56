import { randomUUID } from 'node:crypto';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { cellKey, contributionOf, shardOf } from '../../shared/aggregate/contribution.js';
import { rebuildAggregates } from '../../shared/data/aggregate-rebuild.js';
import {
  checkAggregates,
  expiredDayAt,
  readCells,
  totalOf,
  verifyAggregates,
} from '../../shared/data/aggregate-store.js';
import { responseKey, saveResponse } from '../../shared/data/response-store.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import { type Db, keys } from '../../shared/data/table.js';
import { buildResponse } from '../../shared/response/build.js';
import type { StoredResponse } from '../../shared/response/schema.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
import { miniResponse, saveMini } from '../fixtures/mini-response.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';

const { grade: _grade, ...withoutGrade } = miniAnswers;

async function saveOne(db: Db, definition: SurveyDefinition) {
  const response = buildResponse({
    definition,
    audience: 'public',
    waveId: 'w0',
    submissionId: randomUUID(),
    channel: undefined,
    activeChannels: new Set(),
    locale: 'de',
    answers: definition.version === '1' ? miniAnswers : withoutGrade,
    now: new Date('2026-05-01T00:00:00Z'),
  });
  await saveResponse(db, response, contributionOf(definition, response), definition.settings.aggregateShards);
  return response;
}

describe('aggregate-store', () => {
  let db: Db;
  const shards = miniSurvey.settings.aggregateShards;

  beforeAll(async () => {
    db = await freshTable();
    for (let i = 0; i < 30; i++) {
      const response = buildResponse({
        definition: miniSurvey,
        audience: 'public',
        waveId: i < 20 ? 'w0' : 'w1',
        submissionId: randomUUID(),
        channel: undefined,
        activeChannels: new Set(),
        locale: 'de',
        answers: { ...miniAnswers, city: i % 2 ? 'alpha' : 'beta', recommend: i % 11 },
        now: new Date('2026-05-01T00:00:00Z'),
      });
      await saveResponse(db, response, contributionOf(miniSurvey, response), shards);
    }
  });

  it('sums every shard of a wave into its cells', async () => {
    const w0 = await readCells(db, 'mini', 'w0', shards);
    expect(totalOf(w0).n).toBe(20);
    expect(w0.get('public|alpha|_|_|_|_|yes')?.n).toBe(10);
    expect(totalOf(await readCells(db, 'mini', 'w1', shards)).n).toBe(10);
  });

  it('reports no drift when aggregates match the responses', async () => {
    expect(await verifyAggregates(db, miniSurvey)).toEqual([]);
  });

  it('recomputes each response with the definition version it was given under', async () => {
    const other = await freshTable();
    const v1 = await saveOne(other, miniSurvey);
    const v2 = structuredClone(miniSurvey);
    v2.version = '2';
    const image = v2.audiences.public?.sections[2];
    if (image) image.questions = image.questions.filter((q) => q.id !== 'grade');
    await publishDefinition(other, miniSurvey);
    await publishDefinition(other, v2);
    await saveOne(other, v2);
    expect(v1.answers.grade).toBe(2);
    expect(totalOf(await readCells(other, 'mini', 'w0', shards))['grade#n']).toBe(1);
    expect(await verifyAggregates(other, v2)).toEqual([]);
  });

  it('reports a counter that was changed behind the write path', async () => {
    const cell = 'public|beta|_|_|_|_|yes';
    // Any shard: reads sum them all, so a change in one shows as drift of the whole cell.
    const pk = keys.aggregatePartition('mini', 'w1', shardOf('any', shards));
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: { pk, sk: cell },
        UpdateExpression: 'ADD #n :one',
        ExpressionAttributeNames: { '#n': 'recommend#s' },
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    const drift = await verifyAggregates(db, miniSurvey);
    expect(drift).toEqual([
      expect.objectContaining({
        waveId: 'w1',
        cell: cellKey('public', {
          city: 'beta',
          age_band: '_',
          gender: '_',
          role: '_',
          business_size: '_',
          exposure: 'yes',
        }),
        counter: 'recommend#s',
      }),
    ]);
    expect(drift[0]?.stored).toBe((drift[0]?.recomputed ?? 0) + 1);
  });
});

describe('aggregate-store after retention', () => {
  // The mini survey declares no wave close: a response is kept 24 months after its day's end.
  const EARLY = '2026-03-02';
  const LATE = '2026-09-15';
  /** EARLY's responses are past retention at this moment, LATE's are not. */
  const NOW = new Date('2028-03-03T00:00:01Z');
  let db: Db;
  let early: StoredResponse[];
  let late: StoredResponse[];

  /** What DynamoDB's TTL does: deletes the item, nothing else. */
  const expireByTtl = (r: StoredResponse) =>
    db.doc.send(new DeleteCommand({ TableName: db.tableName, Key: responseKey(r) }));

  beforeAll(async () => {
    db = await freshTable();
    await publishDefinition(db, miniSurvey);
    early = [0, 1, 2, 3].map((i) => miniResponse('w0', { city: i % 2 ? 'alpha' : 'beta' }, EARLY));
    late = [0, 1, 2].map((i) => miniResponse('w0', { city: i % 2 ? 'alpha' : 'beta' }, LATE));
    for (const r of [...early, ...late]) await saveMini(db, r);
  });

  it('judges the retention of a day by the rule the responses were stored with', () => {
    expect(early[0]?.expiresAt).toBeLessThanOrEqual(NOW.getTime() / 1000);
    expect(late[0]?.expiresAt).toBeGreaterThan(NOW.getTime() / 1000);
    const expired = expiredDayAt(miniSurvey, NOW);
    expect([expired(EARLY), expired(LATE)]).toEqual([true, false]);
    expect(expiredDayAt(miniSurvey)(EARLY)).toBe(false);
  });

  it('tells responses gone by retention apart from drift', async () => {
    // Prepare: before TTL acts, past retention but still stored: exact, nothing expired.
    expect(await checkAggregates(db, miniSurvey, NOW)).toEqual({ drift: [], expired: [] });

    // Act: TTL deletes three of the four expired responses (it works through them over days).
    for (const r of early.slice(0, 3)) await expireByTtl(r);

    // Assess
    expect(await checkAggregates(db, miniSurvey, NOW)).toEqual({
      drift: [],
      expired: [{ waveId: 'w0', responses: 3, poolable: 0 }],
    });
    // Judged at a moment before their retention passed, the same gap is drift.
    expect((await checkAggregates(db, miniSurvey, new Date('2027-01-01T00:00:00Z'))).drift.length).toBeGreaterThan(0);
    expect((await verifyAggregates(db, miniSurvey)).map((d) => d.counter)).toContain('n');
  });

  it('still reports drift in a cell where responses expired', async () => {
    // Prepare: a fresh copy of the situation, then damage: a response within its retention disappears.
    const own = await freshTable();
    await publishDefinition(own, miniSurvey);
    const rs = [miniResponse('w0', {}, EARLY), miniResponse('w0', {}, LATE), miniResponse('w0', {}, LATE)];
    for (const r of rs) await saveMini(own, r);
    const [expiredOne, lateOne] = rs;
    if (!expiredOne || !lateOne) throw new Error('no responses');
    await own.doc.send(new DeleteCommand({ TableName: own.tableName, Key: responseKey(expiredOne) }));
    expect((await checkAggregates(own, miniSurvey, NOW)).drift).toEqual([]);

    // Act
    await own.doc.send(new DeleteCommand({ TableName: own.tableName, Key: responseKey(lateOne) }));
    const check = await checkAggregates(own, miniSurvey, NOW);

    // Assess: n and the late day no longer add up, nor do the counts (two short, one expired);
    // reported as drift. The expired day itself is fine; sums cannot be checked once answers are gone.
    const counters = check.drift.map((d) => d.counter);
    expect(counters).toEqual(expect.arrayContaining(['n', '@day#2026-09-15', 'img_modern#n', 'city#o#alpha']));
    expect(counters).not.toContain('@day#2026-03-02');
    expect(counters).not.toContain('img_modern#s');
  });

  it('makes recompute leave cells with expired responses as they are', async () => {
    // Prepare: three early responses gone by TTL (as in the test above; deleting again is a no-op).
    for (const r of early.slice(0, 3)) await expireByTtl(r);
    const before = await readCells(db, 'mini', 'w0', miniSurvey.settings.aggregateShards);

    // Act
    const report = await rebuildAggregates(db, miniSurvey, { now: NOW });

    // Assess: nothing rewritten from what is left; the kept figures are the same as before.
    expect(report.kept).toBeGreaterThan(0);
    expect(report.changes).toEqual([]);
    expect(await readCells(db, 'mini', 'w0', miniSurvey.settings.aggregateShards)).toEqual(before);
    expect((await checkAggregates(db, miniSurvey, NOW)).expired).toEqual([{ waveId: 'w0', responses: 3, poolable: 0 }]);
  });
});
