import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { rebuildAggregates } from '../../shared/data/aggregate-rebuild.js';
import { readCells } from '../../shared/data/aggregate-store.js';
import { dropSnapshots, impactCells, storeSnapshot } from '../../shared/data/impact-snapshot-store.js';
import { fitsProjection, MAX_EXPRESSION_LENGTH, projectionOf, queryAll } from '../../shared/data/query.js';
import { publishDefinition, SETTLE_GRACE_MS, setWaveState } from '../../shared/data/survey-store.js';
import { type Db, keys } from '../../shared/data/table.js';
import { ANY_EXPOSURE, questionMeasure } from '../../shared/impact/answers.js';
import { RESPONDENTS } from '../../shared/impact/report.js';
import { type ImpactSnapshot, refreshCounters, snapshotOfCells } from '../../shared/impact/snapshot.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
import { validateDefinition } from '../../shared/survey/validate.js';
import { storeMiniResponses } from '../fixtures/mini-response.js';
import { miniSurvey, miniSurveyInput } from '../fixtures/mini-survey.js';
import { encodeVersion3, withoutAnswers } from '../fixtures/snapshot-v3.js';
import { failingTransactions, freshTable } from '../setup/table.js';

const T = new Date('2026-11-20T12:00:00Z');
const later = (ms: number) => new Date(T.getTime() + ms);
const MAX_AGE = 60_000;

/** `count` mini responses from `city` on `now`'s day, through the write path. */
const answer = (
  db: Db,
  waveId: string,
  count: number,
  city = 'alpha',
  now = T,
  definition: SurveyDefinition = miniSurvey,
  more: Record<string, unknown> = {},
) => storeMiniResponses(db, { waveId, count, answers: { city, ...more }, definition, now });

/** A stored item written as it is, behind every store's back (old encodings, damage). */
const putItem = (db: Db, item: Record<string, unknown>) =>
  db.doc.send(new PutCommand({ TableName: db.tableName, Item: item }));

/** Respondents of a wave in what a read returned, all audiences, cities and exposure answers. */
const respondents = (read: Awaited<ReturnType<typeof impactCells>>, waveId: string) => {
  let n = 0;
  for (const byCity of read.indexes.get(waveId)?.values() ?? []) {
    for (const byExposure of byCity.values()) {
      for (const byIndicator of byExposure.values()) n += byIndicator.get(RESPONDENTS)?.n ?? 0;
    }
  }
  return n;
};

const snapshotItems = async (db: Db) => queryAll(db, keys.impactSnapshotPartition(miniSurvey.id));

describe('impact snapshots in DynamoDB', () => {
  let db: Db;
  beforeEach(async () => {
    db = await freshTable();
    await publishDefinition(db, miniSurvey);
  });

  it('reads the cells once, then serves the snapshot of a collecting wave until it is older than the maximum age', async () => {
    await setWaveState(db, miniSurvey.id, { waveId: 'w0', state: 'open', changedAt: later(-3_600_000).toISOString() });
    await answer(db, 'w0', 12);
    const first = await impactCells(db, miniSurvey, { now: T, maxAgeMs: MAX_AGE });
    expect(first.refreshed.sort()).toEqual(['w0', 'w1']);
    expect(first.unsaved).toEqual([]);
    expect(respondents(first, 'w0')).toBe(12);
    expect(first.days.get('w0')).toEqual({ '2026-11-20': 12 });
    // The collecting wave: a head with its data beside it.
    // w1 never collected: it is settled, so its first snapshot is kept as its release, and only that
    // (a released wave is read from its release alone: a snapshot beside it would be read for nothing).
    expect((await snapshotItems(db)).map((i) => i.sk).sort()).toEqual(['RELEASE#w1', 'WAVE#w0', 'WAVE#w0#0']);

    await answer(db, 'w0', 3);
    const soon = await impactCells(db, miniSurvey, { now: later(MAX_AGE - 1), maxAgeMs: MAX_AGE });
    expect(soon.refreshed).toEqual([]);
    expect(respondents(soon, 'w0')).toBe(12);
    expect(soon.asOf.get('w0')).toBe(T.toISOString());

    const afterwards = await impactCells(db, miniSurvey, { now: later(MAX_AGE), maxAgeMs: MAX_AGE });
    // w1 has never collected: its snapshot is final and is not read again.
    expect(afterwards.refreshed).toEqual(['w0']);
    expect(respondents(afterwards, 'w0')).toBe(15);
    expect(afterwards.asOf.get('w0')).toBe(later(MAX_AGE).toISOString());

    const always = await impactCells(db, miniSurvey, { now: later(MAX_AGE), maxAgeMs: 0 });
    expect(always.refreshed).toEqual(['w0']);
    const forced = await impactCells(db, miniSurvey, { now: later(MAX_AGE), maxAgeMs: MAX_AGE, refresh: true });
    expect(forced.refreshed.sort()).toEqual(['w0', 'w1']);

    // Answers two days on: a refresh names only the counters it needs, the new day among them.
    const twoDaysOn = later(2 * 86_400_000);
    await answer(db, 'w0', 2, 'beta', twoDaysOn);
    const projected = await impactCells(db, miniSurvey, { now: twoDaysOn, maxAgeMs: MAX_AGE });
    expect(projected.refreshed).toEqual(['w0']);
    expect(respondents(projected, 'w0')).toBe(17);
    expect(projected.days.get('w0')).toEqual({ '2026-11-20': 15, '2026-11-22': 2 });
    expect(projected.indexes.get('w0')?.get('public')?.get('beta')).toBeDefined();
  });

  it('releases a wave only from a snapshot made after it settled, reading it again at once when it has settled since', async () => {
    await setWaveState(db, miniSurvey.id, { waveId: 'w0', state: 'open', changedAt: T.toISOString() });
    await answer(db, 'w0', 5);
    const collecting = await impactCells(db, miniSurvey, { now: later(1), maxAgeMs: MAX_AGE });
    expect([...collecting.settled]).toEqual(['w1']);
    // Closed, and the grace for late answers is over: the young snapshot made while it collected no longer serves.
    await setWaveState(db, miniSurvey.id, { waveId: 'w0', state: 'closed', changedAt: later(2).toISOString() });
    await answer(db, 'w0', 1);
    const settledNow = await impactCells(db, miniSurvey, { now: later(2 + SETTLE_GRACE_MS), maxAgeMs: 10 * MAX_AGE });
    expect(settledNow.refreshed).toEqual(['w0']);
    expect([...settledNow.settled].sort()).toEqual(['w0', 'w1']);
    expect(respondents(settledNow, 'w0')).toBe(6);
  });

  it('serves a wave closed longer ago than the grace from its snapshot for good, until its state changes', async () => {
    await answer(db, 'w0', 5);
    // Closed a moment ago: a late answer may still land, so the snapshot is not final.
    await setWaveState(db, miniSurvey.id, { waveId: 'w0', state: 'closed', changedAt: later(-1000).toISOString() });
    await impactCells(db, miniSurvey, { now: T, maxAgeMs: MAX_AGE });
    await answer(db, 'w0', 1);
    const refreshed = await impactCells(db, miniSurvey, { now: later(MAX_AGE), maxAgeMs: MAX_AGE });
    expect(refreshed.refreshed).toEqual(['w0']);
    expect(respondents(refreshed, 'w0')).toBe(6);

    const aYearOn = await impactCells(db, miniSurvey, { now: later(365 * 86_400_000), maxAgeMs: MAX_AGE });
    expect(aYearOn.refreshed).toEqual([]);
    expect(respondents(aYearOn, 'w0')).toBe(6);

    // Reopened (and closed again): the state differs from the snapshot's, so the cells are read again.
    await setWaveState(db, miniSurvey.id, { waveId: 'w0', state: 'open', changedAt: later(1).toISOString() });
    await answer(db, 'w0', 2);
    await setWaveState(db, miniSurvey.id, {
      waveId: 'w0',
      state: 'closed',
      changedAt: later(2 + SETTLE_GRACE_MS).toISOString(),
    });
    const reopened = await impactCells(db, miniSurvey, { now: later(400 * 86_400_000), maxAgeMs: MAX_AGE });
    // Released once settled: its release is all a read needs, the cells are not read again.
    expect(reopened.refreshed).toEqual([]);
    // The cells are read again, but leads keep seeing the wave as it was released (6): the two
    // answers given after reopening would otherwise be the difference of two views (reviewer A1).
    expect(respondents(reopened, 'w0')).toBe(6);
    expect(reopened.settled.has('w0')).toBe(true);
    // Once released, the wave's snapshot is gone: its release is all that is stored of it.
    expect((await snapshotItems(db)).map((i) => String(i.sk)).sort()).toEqual(['RELEASE#w0', 'RELEASE#w1']);
    // Pooling drops snapshots but keeps releases; early deletion and a repair release anew.
    expect(await dropSnapshots(db, miniSurvey.id)).toBe(0);
    expect(
      respondents(await impactCells(db, miniSurvey, { now: later(401 * 86_400_000), maxAgeMs: MAX_AGE }), 'w0'),
    ).toBe(6);
    await dropSnapshots(db, miniSurvey.id, { releases: true });
    expect(
      respondents(await impactCells(db, miniSurvey, { now: later(402 * 86_400_000), maxAgeMs: MAX_AGE }), 'w0'),
    ).toBe(8);
  });

  it('splits a large snapshot into chunks written together, and drops chunks a shorter one no longer needs', async () => {
    await answer(db, 'w0', 10, 'alpha');
    await answer(db, 'w0', 10, 'beta');
    const raw = await readCells(db, miniSurvey.id, 'w0', miniSurvey.settings.aggregateShards);
    const snapshot = (asOf: Date, cells: Map<string, Record<string, number>>): ImpactSnapshot => ({
      waveId: 'w0',
      asOf: asOf.toISOString(),
      definitionVersion: miniSurvey.version,
      weighting: 'none',
      // The wave has no state: it never collected, so it is settled, and so is a snapshot of it.
      settled: true,
      waveFingerprint: 'none',
      ...snapshotOfCells(miniSurvey, 'w0', cells, undefined),
    });
    const full = snapshot(later(1), raw);
    expect(await storeSnapshot(db, miniSurvey.id, full, 1, 40)).toBeUndefined();
    const chunks = (await snapshotItems(db)).filter((i) => String(i.sk).startsWith('WAVE#w0#'));
    expect(chunks.length).toBeGreaterThan(3);
    const reread = await impactCells(db, miniSurvey, { now: later(2), maxAgeMs: MAX_AGE });
    expect(reread.refreshed).toEqual(['w1']);
    expect(reread.indexes.get('w0')).toEqual(full.index);
    expect(respondents(reread, 'w0')).toBe(20);

    const alphaOnly = new Map([...raw].filter(([key]) => key.split('|')[1] === 'alpha'));
    const shorter = { ...snapshot(later(3), alphaOnly), days: {} };
    expect(await storeSnapshot(db, miniSurvey.id, shorter, chunks.length, 80)).toBeUndefined();
    const fewer = (await snapshotItems(db)).filter((i) => String(i.sk).startsWith('WAVE#w0#'));
    expect(fewer.length).toBeLessThan(chunks.length);
    const head = (await snapshotItems(db)).find((i) => i.sk === 'WAVE#w0');
    expect(head?.chunks).toBe(fewer.length);
    // (Its release, kept from the first read, is set aside to read the shorter snapshot itself.)
    await db.doc.send(new DeleteCommand({ TableName: db.tableName, Key: keys.impactRelease(miniSurvey.id, 'w0') }));
    expect(respondents(await impactCells(db, miniSurvey, { now: later(4), maxAgeMs: MAX_AGE }), 'w0')).toBe(10);
  });

  it('drops a snapshot found beside a release (stored before releases replaced them), still reading the release', async () => {
    await answer(db, 'w0', 4);
    const first = await impactCells(db, miniSurvey, { now: T, maxAgeMs: MAX_AGE });
    expect(respondents(first, 'w0')).toBe(4);
    // A snapshot with other figures written beside the release, as an older version stored them.
    await answer(db, 'w0', 2);
    const raw = await readCells(db, miniSurvey.id, 'w0', miniSurvey.settings.aggregateShards);
    const beside: ImpactSnapshot = {
      waveId: 'w0',
      asOf: later(1).toISOString(),
      definitionVersion: miniSurvey.version,
      weighting: 'none',
      settled: true,
      waveFingerprint: 'none',
      ...snapshotOfCells(miniSurvey, 'w0', raw, undefined),
    };
    expect(await storeSnapshot(db, miniSurvey.id, beside, 0, 40)).toBeUndefined();
    expect((await snapshotItems(db)).length).toBeGreaterThan(3);
    const read = await impactCells(db, miniSurvey, { now: later(2), maxAgeMs: MAX_AGE });
    expect(respondents(read, 'w0')).toBe(4);
    expect(read.unsaved).toEqual([]);
    expect((await snapshotItems(db)).map((i) => String(i.sk)).sort()).toEqual(['RELEASE#w0', 'RELEASE#w1']);
  });

  it('reads the cells again when a stored snapshot cannot be decoded, and replaces it', async () => {
    // A collecting wave: a settled one is read from its release, not its snapshot.
    await setWaveState(db, miniSurvey.id, { waveId: 'w0', state: 'open', changedAt: T.toISOString() });
    await answer(db, 'w0', 7);
    await impactCells(db, miniSurvey, { now: T, maxAgeMs: MAX_AGE });
    await putItem(db, { ...keys.impactSnapshot(miniSurvey.id, 'w0', 0), data: new Uint8Array([1, 2, 3]) });
    const read = await impactCells(db, miniSurvey, { now: later(1), maxAgeMs: MAX_AGE });
    expect(read.refreshed).toEqual(['w0']);
    expect(respondents(read, 'w0')).toBe(7);
    expect((await impactCells(db, miniSurvey, { now: later(2), maxAgeMs: MAX_AGE })).refreshed).toEqual([]);
  });

  it('never replaces a newer snapshot with an older one', async () => {
    await setWaveState(db, miniSurvey.id, { waveId: 'w0', state: 'open', changedAt: T.toISOString() });
    await answer(db, 'w0', 4);
    await impactCells(db, miniSurvey, { now: later(10_000), maxAgeMs: MAX_AGE });
    const older: ImpactSnapshot = {
      waveId: 'w0',
      asOf: T.toISOString(),
      definitionVersion: miniSurvey.version,
      weighting: 'none',
      settled: false,
      waveFingerprint: 'none',
      index: new Map(),
      raking: [],
      days: {},
    };
    expect(await storeSnapshot(db, miniSurvey.id, older, 1)).toBe('a newer snapshot is stored');
    const read = await impactCells(db, miniSurvey, { now: later(20_000), maxAgeMs: MAX_AGE });
    expect(read.asOf.get('w0')).toBe(later(10_000).toISOString());
    expect(respondents(read, 'w0')).toBe(4);
  });

  it('answers from the cells when the snapshot cannot be stored, and says why', async () => {
    await setWaveState(db, miniSurvey.id, { waveId: 'w0', state: 'open', changedAt: T.toISOString() });
    await answer(db, 'w0', 3);
    const failing = failingTransactions(
      db,
      Object.assign(new Error('throughput exceeded'), { name: 'ThrottlingException' }),
    );
    const read = await impactCells(failing, miniSurvey, { now: T, maxAgeMs: MAX_AGE });
    expect(respondents(read, 'w0')).toBe(3);
    expect(read.unsaved).toEqual([{ waveId: 'w0', reason: 'ThrottlingException: throughput exceeded' }]);
    // The collecting wave's snapshot (one transaction) is not there; the settled wave's release (one put) is.
    expect((await snapshotItems(db)).map((i) => String(i.sk)).sort()).toEqual(['RELEASE#w1']);
  });

  it('is dropped by a rebuild that changed cells, so the next read sees the repaired figures', async () => {
    await setWaveState(db, miniSurvey.id, { waveId: 'w0', state: 'open', changedAt: T.toISOString() });
    await answer(db, 'w0', 6);
    await impactCells(db, miniSurvey, { now: T, maxAgeMs: MAX_AGE });
    // Lose one aggregate item behind the snapshot's back, then repair.
    const cell = await Promise.all(
      Array.from({ length: miniSurvey.settings.aggregateShards }, (_, shard) =>
        queryAll(db, keys.aggregatePartition(miniSurvey.id, 'w0', shard)),
      ),
    ).then((pages) => pages.flat().find((item) => typeof item.n === 'number'));
    if (!cell) throw new Error('no aggregate item');
    await db.doc.send(new DeleteCommand({ TableName: db.tableName, Key: { pk: cell.pk, sk: cell.sk } }));
    const lost = await impactCells(db, miniSurvey, { now: later(MAX_AGE), maxAgeMs: MAX_AGE });
    expect(respondents(lost, 'w0')).toBeLessThan(6);

    const rebuilt = await rebuildAggregates(db, miniSurvey);
    expect(rebuilt.created).toBeGreaterThan(0);
    expect(await snapshotItems(db)).toEqual([]);
    const repaired = await impactCells(db, miniSurvey, { now: later(MAX_AGE + 1), maxAgeMs: MAX_AGE });
    expect(repaired.refreshed.sort()).toEqual(['w0', 'w1']);
    expect(respondents(repaired, 'w0')).toBe(6);
    // w0's head and chunk; w1 is released, and its release is kept.
    expect(await dropSnapshots(db, miniSurvey.id)).toBe(2);
  });
  it('reads whole items when the counters to name would not fit into one request, and counts every answer', async () => {
    // A question with 650 options: naming each of its counters takes the projection past DynamoDB's 4 KB.
    const options = Array.from({ length: 650 }, (_, i) => ({ code: `o${i}`, label: { de: `O${i}`, en: `O${i}` } }));
    const parsed = validateDefinition({
      ...miniSurveyInput,
      id: 'wide-question',
      audiences: {
        public: {
          ...miniSurveyInput.audiences.public,
          sections: [
            ...miniSurveyInput.audiences.public.sections,
            {
              id: 'many',
              title: { de: 'Viele', en: 'Many' },
              questions: [{ id: 'many', type: 'multiple_choice', label: { de: 'Welche?', en: 'Which?' }, options }],
            },
          ],
        },
      },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const wide = parsed.definition;
    await publishDefinition(db, wide);
    await setWaveState(db, wide.id, { waveId: 'w0', state: 'open', changedAt: T.toISOString() });
    const give = (count: number, ticked: string[]) => answer(db, 'w0', count, 'alpha', T, wide, { many: ticked });
    await give(12, ['o600', 'o3']);
    await impactCells(db, wide, { now: T, maxAgeMs: MAX_AGE });
    await give(3, ['o649']);

    const names = refreshCounters(wide, { asOf: T.toISOString(), days: { '2026-11-20': 12 } }, later(MAX_AGE), [
      'unknown',
    ]);
    expect(names).toBeDefined();
    expect(fitsProjection(names ?? [])).toBe(false);
    // DynamoDB refuses such a projection: named, the refresh would fail.
    const pk = keys.aggregatePartition(wide.id, 'w0', 0);
    await expect(queryAll(db, pk, undefined, names)).rejects.toThrow(/Expression size has exceeded/);
    // ... and takes one of 4 KB, the limit `fitsProjection` holds to.
    const fits: string[] = [];
    while (projectionOf([...fits, 'next']).expression.length <= MAX_EXPRESSION_LENGTH) fits.push(`q${fits.length}`);
    expect(projectionOf(fits).expression.length).toBeGreaterThan(MAX_EXPRESSION_LENGTH - 8);
    await expect(queryAll(db, pk, undefined, fits)).resolves.toBeDefined();
    await expect(queryAll(db, pk, undefined, [...fits, 'next'])).rejects.toThrow(/Expression size has exceeded/);

    const refreshed = await impactCells(db, wide, { now: later(MAX_AGE), maxAgeMs: MAX_AGE });
    expect(refreshed.refreshed).toEqual(['w0']);
    const many = refreshed.indexes
      .get('w0')
      ?.get('public')
      ?.get('alpha')
      ?.get(ANY_EXPOSURE)
      ?.get(questionMeasure('many'));
    expect(many?.n).toBe(15);
    expect(many?.options).toMatchObject({ o3: { n: 12 }, o600: { n: 12 }, o649: { n: 3 } });
  });

  it('shows a wave released before answers were kept as released, with its answers unknown, and never releases it again', async () => {
    await answer(db, 'w0', 14);
    const raw = await readCells(db, miniSurvey.id, 'w0', miniSurvey.settings.aggregateShards);
    const release = snapshotOfCells(miniSurvey, 'w0', raw, undefined);
    await putItem(db, {
      ...keys.impactRelease(miniSurvey.id, 'w0'),
      asOf: T.toISOString(),
      data: encodeVersion3(release.index),
    });
    // More answers after the release: the release, not the cells, is what leads see.
    await answer(db, 'w0', 2);
    const read = await impactCells(db, miniSurvey, { now: later(1), maxAgeMs: MAX_AGE });
    expect([...read.withoutAnswers]).toEqual(['w0']);
    expect(read.settled.has('w0')).toBe(true);
    expect(respondents(read, 'w0')).toBe(14);
    expect(read.indexes.get('w0')).toEqual(withoutAnswers(release.index));
    expect(read.refreshed).toEqual(['w1']);
    const again = await impactCells(db, miniSurvey, { now: later(2), maxAgeMs: MAX_AGE });
    expect(again.refreshed).toEqual([]);
    const stored = (await snapshotItems(db)).find((i) => i.sk === 'RELEASE#w0');
    expect(Buffer.from(stored?.data as Uint8Array)).toEqual(encodeVersion3(release.index));
  });

  it('reads the cells again for a collecting wave whose snapshot holds no answers (encoding 3), and keeps its days', async () => {
    await setWaveState(db, miniSurvey.id, { waveId: 'w0', state: 'open', changedAt: T.toISOString() });
    await answer(db, 'w0', 5);
    await impactCells(db, miniSurvey, { now: T, maxAgeMs: MAX_AGE });
    const head = (await snapshotItems(db)).find((i) => i.sk === 'WAVE#w0');
    const raw = await readCells(db, miniSurvey.id, 'w0', miniSurvey.settings.aggregateShards);
    const old = snapshotOfCells(miniSurvey, 'w0', raw, undefined);
    await putItem(db, {
      ...keys.impactSnapshot(miniSurvey.id, 'w0', 0),
      data: encodeVersion3(old.index, [], { '2026-11-20': 5 }),
    });
    expect(head?.chunks).toBe(1);
    // Young enough to serve, but without answers: read again, and stored in the current encoding.
    const read = await impactCells(db, miniSurvey, { now: later(1), maxAgeMs: MAX_AGE });
    expect(read.refreshed).toEqual(['w0']);
    expect(read.withoutAnswers.size).toBe(0);
    expect(
      read.indexes.get('w0')?.get('public')?.get('alpha')?.get(ANY_EXPOSURE)?.get(questionMeasure('seen_ads'))?.n,
    ).toBe(5);
    expect((await impactCells(db, miniSurvey, { now: later(2), maxAgeMs: MAX_AGE })).refreshed).toEqual([]);
  });
});
