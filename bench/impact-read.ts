import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localClient, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { addCounters, type Counters, cellKey, contributionOf } from '../shared/aggregate/contribution.js';
import { verifyAggregates } from '../shared/data/aggregate-store.js';
import { impactCells } from '../shared/data/impact-snapshot-store.js';
import { loadPopulation } from '../shared/data/population-files.js';
import { queryAll } from '../shared/data/query.js';
import { scanResponses } from '../shared/data/response-store.js';
import { setWaveState } from '../shared/data/survey-store.js';
import { createDb, type Db, ensureTable, keys } from '../shared/data/table.js';
import { impactReport, impactReportOf } from '../shared/impact/report.js';
import type { Population } from '../shared/stats/population.js';
import type { SurveyDefinition } from '../shared/survey/schema.js';
import { bulkLoad, surveyCopy } from './bulk-load.js';

/**
 * Impact read time with 1,000 and `BENCH_IMPACT_LARGE` (default 100,000) stored responses in two
 * copies of the Recklinghausen survey, the weighted public report as the API computes it:
 * - read: what a lead's request costs while the impact snapshots hold (one item per wave and a
 *   chunk or two, whatever the number of responses);
 * - refresh: the request that finds a snapshot too old reads every aggregate cell of every wave
 *   (the cells grow with responses until every combination of dimensions is filled) and stores
 *   new snapshots;
 * - naive: scan every response, add up, compute.
 * DynamoDB Local gets a 2 GB heap: with its default 512 MB it drops connections while 100,000
 * responses are loaded.
 *
 * Loading 100,000 responses through the submit transaction would take DynamoDB Local most of an
 * hour, so the table is bulk-loaded with the very items that path writes (the response item and its
 * cell's counters, split into parts as the write path splits them); `verify` on the small survey
 * checks that the loaded state is what submissions would have produced.
 */
const SMALL = 1_000;
const LARGE = Number(process.env.BENCH_IMPACT_LARGE ?? 100_000);
const RUNS = Number(process.env.BENCH_IMPACT_RUNS ?? 101);

async function time<T>(task: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await task();
  return performance.now() - t;
}

async function median(task: () => Promise<unknown>, runs: number): Promise<number> {
  await task(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await time(task));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

/**
 * Medians of two tasks timed in alternating order (small, large, large, small, ...), after a
 * warm-up of each, so JIT warm-up and the database's drift hit both alike.
 */
async function pairedMedians(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  runs = RUNS,
): Promise<[number, number]> {
  await a();
  await b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      ta.push(await time(a));
      tb.push(await time(b));
    } else {
      tb.push(await time(b));
      ta.push(await time(a));
    }
  }
  const mid = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
  return [mid(ta), mid(tb)];
}

/** Everything the impact API does for `?weighted=true`: read (snapshots or cells), weight, compute. */
async function impactRead(db: Db, definition: SurveyDefinition, population: Population, refresh: boolean) {
  const read = await impactCells(db, definition, { now: new Date(), maxAgeMs: 86_400_000, population, refresh });
  return { read, report: impactReportOf(definition, read.indexes, { audience: 'public' }, true) };
}

/** The impact report without weights, from the stored snapshots (compared with the scan below). */
async function plainReport(db: Db, definition: SurveyDefinition, population: Population) {
  const read = await impactCells(db, definition, { now: new Date(), maxAgeMs: 0, population });
  return impactReportOf(definition, read.indexes, { audience: 'public' }, false);
}

/** The naive way: scan every stored response, add up its contribution, compute the same report. */
async function impactFromScan(db: Db, definition: SurveyDefinition) {
  const byWave = new Map<string, Map<string, Counters>>();
  for await (const response of scanResponses(db, definition.id)) {
    const wave = byWave.get(response.waveId) ?? new Map<string, Counters>();
    byWave.set(response.waveId, wave);
    const key = cellKey(response.audience, response.dimensions);
    wave.set(key, addCounters(wave.get(key) ?? {}, contributionOf(definition, response)));
  }
  return impactReport(definition, byWave, { audience: 'public' });
}

export async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'resonanz-bench-impact-'));
  const dynamo = await startDynamoDbLocal({ dataDir, heapMb: 2048 });
  try {
    const client = localClient(dynamo.endpoint);
    const db = createDb(client, 'bench-impact');
    await ensureTable(client, db.tableName);
    const small = surveyCopy('bench-small');
    const large = surveyCopy('bench-large');
    const t = performance.now();
    const smallItems = await bulkLoad(db, small, SMALL, 1);
    const largeItems = await bulkLoad(db, large, LARGE, 2);
    const loadSeconds = (performance.now() - t) / 1000;
    const drift = await verifyAggregates(db, small);
    if (drift.length > 0) throw new Error(`the bulk-loaded cells differ from the responses: ${drift.length} drift(s)`);
    // The last wave still collects: the others are released (read from their releases, refreshed
    // from whole items), it keeps a snapshot, and its refresh names the counters it needs.
    const collecting = small.waves.at(-1)?.id ?? '';
    for (const d of [small, large]) {
      await setWaveState(db, d.id, { waveId: collecting, state: 'open', changedAt: new Date().toISOString() });
    }

    const population = await loadPopulation('kreis-recklinghausen');
    // Snapshot read: what a lead's request costs while the snapshots hold (every request but one per
    // wave and IMPACT_MAX_AGE_SECONDS); a day's maximum age keeps them from expiring mid-run.
    const snapshotRead = (d: SurveyDefinition) => impactRead(db, d, population, false);
    // Refresh: the request that finds a snapshot too old reads every cell of every wave and stores new snapshots.
    const refreshRead = (d: SurveyDefinition) => impactRead(db, d, population, true);
    // The first refresh has no snapshot to learn the wave's days from, so it reads whole items.
    const firstSmall = await time(() => refreshRead(small));
    const firstLarge = await time(() => refreshRead(large));
    const [refreshSmall, refreshLarge] = await pairedMedians(
      () => refreshRead(small),
      () => refreshRead(large),
      3,
    );
    // The collecting wave's refresh alone (the released waves come from their releases): what a
    // lead's request costs once per IMPACT_MAX_AGE_SECONDS during fieldwork.
    const collectingRefresh = (d: SurveyDefinition) => impactCells(db, d, { now: new Date(), maxAgeMs: 0, population });
    const [namedSmall, namedLarge] = await pairedMedians(
      () => collectingRefresh(small),
      () => collectingRefresh(large),
      3,
    );
    const [readSmall, readLarge] = await pairedMedians(
      () => snapshotRead(small),
      () => snapshotRead(large),
    );
    const served = (await snapshotRead(large)).read.refreshed.length === 0;
    const scanSmall = await median(() => impactFromScan(db, small), 3);
    const scanLarge = await time(() => impactFromScan(db, large));
    const same =
      JSON.stringify(await plainReport(db, large, population)) === JSON.stringify(await impactFromScan(db, large));
    const snapshotItems = async (d: SurveyDefinition) =>
      (await queryAll(db, keys.impactSnapshotPartition(d.id))).length;
    // What a read fetches and decodes: the compressed data of every stored snapshot and release.
    const snapshotBytes = async (d: SurveyDefinition) =>
      (await queryAll(db, keys.impactSnapshotPartition(d.id))).reduce(
        (sum, item) => sum + (item.data instanceof Uint8Array ? item.data.length : 0),
        0,
      );

    const ms = (x: number) => `${x.toFixed(1)} ms`;
    console.log(
      `impact read: ${SMALL} vs ${LARGE} stored responses (Recklinghausen survey, public, weighted), DynamoDB Local on disk`,
    );
    console.log(`  loaded in ${loadSeconds.toFixed(0)} s; verify on the small survey: drift 0`);
    console.log(
      `  items read: snapshots ${await snapshotItems(small)} vs ${await snapshotItems(large)}; aggregate cells (cell x shard x part) ${smallItems} vs ${largeItems}`,
    );
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    console.log(
      `  stored snapshots, compressed: ${kb(await snapshotBytes(small))} vs ${kb(await snapshotBytes(large))} (${small.waves.length} waves)`,
    );
    console.log(`  read (snapshots)     : ${ms(readSmall)} vs ${ms(readLarge)} (median of ${RUNS}; served: ${served})`);
    console.log(`  refresh (cells, every wave)             : ${ms(refreshSmall)} vs ${ms(refreshLarge)} (median of 3)`);
    console.log(
      `  refresh of the collecting wave (named counters): ${ms(namedSmall)} vs ${ms(namedLarge)} (median of 3)`,
    );
    console.log(`  first refresh (cells, whole items)      : ${ms(firstSmall)} vs ${ms(firstLarge)}`);
    console.log(`  naive response scan  : ${ms(scanSmall)} vs ${ms(scanLarge)}`);
    console.log(`  ratio large/small, read: ${(readLarge / readSmall).toFixed(2)}x (target <= 1.5)`);
    console.log(`  ratio large/small, refresh: ${(refreshLarge / refreshSmall).toFixed(2)}x`);
    console.log(
      `  at ${LARGE}: naive scan / read ${(scanLarge / readLarge).toFixed(0)}x, naive scan / refresh ${(scanLarge / refreshLarge).toFixed(0)}x; same report from the snapshots and from the scan: ${same}`,
    );
  } finally {
    await dynamo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
