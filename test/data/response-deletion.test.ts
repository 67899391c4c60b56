import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { contributionOf } from '../../shared/aggregate/contribution.js';
import { type Cells, readCells, recomputeCells, totalOf, verifyAggregates } from '../../shared/data/aggregate-store.js';
import { impactCells } from '../../shared/data/impact-snapshot-store.js';
import { queryAll } from '../../shared/data/query.js';
import { deleteResponses } from '../../shared/data/response-deletion.js';
import { saveResponse, scanResponses } from '../../shared/data/response-store.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import { type Db, keys } from '../../shared/data/table.js';
import { fieldworkReport } from '../../shared/fieldwork/report.js';
import type { StoredResponse } from '../../shared/response/schema.js';
import { storeResponse } from '../../shared/response/submit.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const WAVES = miniSurvey.waves.map((w) => w.id);

/** Answers that spread responses over cells, channels, days and option counters. */
function variedAnswers(i: number): Record<string, unknown> {
  const { channels: _, ...rest } = miniAnswers;
  const common = {
    ...rest,
    city: ['alpha', 'beta', 'elsewhere'][i % 3],
    img_modern: 1 + (i % 5),
    img_pair: 1 + (i % 7),
    recommend: i % 11,
    grade: 1 + (i % 6),
    age: 14 + (i % 60),
  };
  return i % 3 === 0
    ? { ...common, aided: 'no' }
    : { ...common, aided: 'yes', channels: i % 2 ? ['poster'] : ['poster', 'social'] };
}

async function submit(db: Db, waveId: string, i: number, day = 10 + (i % 5)): Promise<StoredResponse> {
  const { response } = await storeResponse(db, {
    definition: miniSurvey,
    audience: 'public',
    waveId,
    submissionId: randomUUID(),
    channel: i % 4 === 0 ? 'plakat-alpha' : undefined,
    activeChannels: new Set(['plakat-alpha']),
    locale: 'de',
    answers: variedAnswers(i),
    now: new Date(`2026-11-${day}T10:00:00Z`),
  });
  return response;
}

async function stored(db: Db): Promise<StoredResponse[]> {
  const out: StoredResponse[] = [];
  for await (const r of scanResponses(db, miniSurvey.id)) out.push(r);
  return out;
}

async function cellsByWave(db: Db): Promise<Map<string, Cells>> {
  const entries = await Promise.all(
    WAVES.map(async (w) => [w, await readCells(db, miniSurvey.id, w, miniSurvey.settings.aggregateShards)] as const),
  );
  return new Map(entries);
}

/** Every aggregate item of a wave (all shards), as stored. */
async function aggregateItems(db: Db, waveId: string) {
  const shards = Array.from({ length: miniSurvey.settings.aggregateShards }, (_, s) =>
    queryAll(db, keys.aggregatePartition(miniSurvey.id, waveId, s)),
  );
  return (await Promise.all(shards)).flat();
}

describe('response-deletion', () => {
  let db: Db;

  beforeEach(async () => {
    db = await freshTable();
    await publishDefinition(db, miniSurvey);
  });

  it("deletes one wave's responses, subtracts them exactly and leaves the other wave alone", async () => {
    // Prepare
    for (let i = 0; i < 14; i++) await submit(db, 'w0', i);
    const kept = [];
    for (let i = 0; i < 6; i++) kept.push(await submit(db, 'w1', i));
    const w1Before = await aggregateItems(db, 'w1');

    // Act
    const report = await deleteResponses(db, miniSurvey, { waveId: 'w0' });

    // Assess
    expect(report.deleted).toEqual({ w0: 14 });
    expect(report.skipped).toBe(0);
    expect((await stored(db)).map((r) => r.responseId).sort()).toEqual(kept.map((r) => r.responseId).sort());
    expect(await verifyAggregates(db, miniSurvey)).toEqual([]);
    // Nothing of the wave remains in its cells: every counter reached 0 and the parts went.
    expect(await aggregateItems(db, 'w0')).toEqual([]);
    expect(report.emptiedParts).toBeGreaterThan(0);
    expect(await aggregateItems(db, 'w1')).toEqual(w1Before);
  });

  it('deletes every response of the survey and is a no-op when run again', async () => {
    // Prepare
    for (let i = 0; i < 8; i++) await submit(db, 'w0', i);
    for (let i = 0; i < 8; i++) await submit(db, 'w1', i + 3);

    // Act
    const first = await deleteResponses(db, miniSurvey);
    const second = await deleteResponses(db, miniSurvey);

    // Assess
    expect(first.deleted).toEqual({ w0: 8, w1: 8 });
    expect(second).toEqual({ deleted: {}, skipped: 0, emptiedParts: 0, snapshotItems: 0 });
    expect(await stored(db)).toEqual([]);
    expect(await verifyAggregates(db, miniSurvey)).toEqual([]);
    for (const w of WAVES) expect(await aggregateItems(db, w)).toEqual([]);
  });

  it('never subtracts twice when two runs delete the same wave at once', async () => {
    // Prepare
    for (let i = 0; i < 20; i++) await submit(db, 'w0', i);
    for (let i = 0; i < 3; i++) await submit(db, 'w1', i);

    // Act
    const [a, b] = await Promise.all([
      deleteResponses(db, miniSurvey, { waveId: 'w0' }),
      deleteResponses(db, miniSurvey, { waveId: 'w0' }),
    ]);

    // Assess: each response deleted by exactly one run; the other skipped it.
    expect((a.deleted.w0 ?? 0) + (b.deleted.w0 ?? 0)).toBe(20);
    expect(await verifyAggregates(db, miniSurvey)).toEqual([]);
    expect(totalOf((await cellsByWave(db)).get('w1') ?? new Map()).n).toBe(3);
  });

  it('loses and double-counts nothing that is submitted while a wave is being deleted', async () => {
    // Prepare: responses in the wave to delete, in the same cells the concurrent ones go to.
    for (let i = 0; i < 30; i++) await submit(db, 'w0', i);

    // Act: deletion of w0 while 20 responses arrive in w1 and 10 more in w0.
    const arriving = Promise.all([
      ...Array.from({ length: 20 }, (_, i) => submit(db, 'w1', i)),
      ...Array.from({ length: 10 }, (_, i) => submit(db, 'w0', 100 + i)),
    ]);
    const [report, submitted] = await Promise.all([deleteResponses(db, miniSurvey, { waveId: 'w0' }), arriving]);

    // Assess
    const left = await stored(db);
    const w1Ids = submitted.slice(0, 20).map((r) => r.responseId);
    expect(
      left
        .filter((r) => r.waveId === 'w1')
        .map((r) => r.responseId)
        .sort(),
    ).toEqual(w1Ids.sort());
    const w0Left = left.filter((r) => r.waveId === 'w0').length;
    // Every w0 response was deleted once or is still there (arrived behind the scan), nothing else.
    expect((report.deleted.w0 ?? 0) + w0Left).toBe(40);
    expect(await verifyAggregates(db, miniSurvey)).toEqual([]);
    const cells = await cellsByWave(db);
    expect(totalOf(cells.get('w1') ?? new Map()).n).toBe(20);
    expect(totalOf(cells.get('w0') ?? new Map()).n ?? 0).toBe(w0Left);
  }, 60_000);

  it('leaves fieldwork and impact figures equal to those of the remaining responses alone', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ wave: fc.constantFrom(...WAVES), i: fc.nat(1000) }), { minLength: 1, maxLength: 25 }),
        fc.option(fc.constantFrom(...WAVES), { nil: undefined }),
        async (given, waveId) => {
          // Prepare: a table with the responses, its impact snapshots stored (read once, long max age).
          const own = await freshTable();
          await publishDefinition(own, miniSurvey);
          for (const { wave, i } of given) await submit(own, wave, i);
          const read = { now: NOW, maxAgeMs: 3_600_000 };
          await impactCells(own, miniSurvey, read);

          // Act
          const report = await deleteResponses(own, miniSurvey, waveId === undefined ? {} : { waveId });

          // Assess: a second table that only ever saw the remaining responses.
          const reference = await freshTable();
          await publishDefinition(reference, miniSurvey);
          const remaining = await stored(own);
          for (const r of remaining) {
            await saveResponse(reference, r, contributionOf(miniSurvey, r), miniSurvey.settings.aggregateShards);
          }
          expect(remaining.length).toBe(given.filter((g) => waveId !== undefined && g.wave !== waveId).length);
          expect(fieldworkReport(miniSurvey, await cellsByWave(own))).toEqual(
            fieldworkReport(miniSurvey, await cellsByWave(reference)),
          );
          expect(fieldworkReport(miniSurvey, await cellsByWave(own))).toEqual(
            fieldworkReport(miniSurvey, await recomputeCells(own, miniSurvey)),
          );
          // The snapshot stored before the deletion no longer answers: the figures are the new ones.
          const after = await impactCells(own, miniSurvey, read);
          const expected = await impactCells(reference, miniSurvey, read);
          if (Object.keys(report.deleted).length > 0) expect(after.refreshed.sort()).toEqual([...WAVES].sort());
          expect(after.indexes).toEqual(expected.indexes);
          expect(after.days).toEqual(expected.days);
        },
      ),
      { numRuns: 6 },
    );
  }, 120_000);
});
