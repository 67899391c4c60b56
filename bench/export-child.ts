import { mkdirSync, rmSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { stringify } from 'csv-stringify/sync';
import { folderSink } from '../local/export-files.js';
import { queryPages } from '../shared/data/query.js';
import { RESPONSE_PAGE_ITEMS } from '../shared/data/response-store.js';
import { getDefinition } from '../shared/data/survey-store.js';
import { createDb, keys, RESPONSE_SHARDS } from '../shared/data/table.js';
import { runExport } from '../shared/export/run.js';

/**
 * One measured export in a process of its own, so its peak memory is its own: `export` runs the
 * real export (the responses read once into a spool, the anonymised CSV written from it, and the
 * rest of the bundle); `bare` is the baseline, one query-and-write-CSV loop over the same
 * responses (answers as JSON, nothing anonymised).
 * Prints one JSON line: rows, seconds, peak RSS in MB, and (export, run with --expose-gc) the heap
 * the export holds between its passes.
 */
const [mode, endpoint, tableName, surveyId, out] = process.argv.slice(2);
if (!mode || !endpoint || !tableName || !surveyId || !out)
  throw new Error('usage: export-child MODE ENDPOINT TABLE SURVEY OUT');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Retries as the SDK's default does in AWS: DynamoDB Local now and then resets a connection under
// sixteen parallel queries, and a retried query page is read again, never twice.
const db = createDb(
  new DynamoDBClient({
    endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 5,
  }),
  tableName,
);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const started = performance.now();
let rows = 0;
let heldMb: number | undefined;
let readPeakMb: number | undefined;
if (mode === 'export') {
  const definition = await getDefinition(db, surveyId);
  const result = await runExport(
    db,
    { definition, channels: definition.channels, format: 'csv', now: new Date() },
    folderSink(out),
    (progress) => {
      // What the export holds between its passes (group counts and plan), after a full collection:
      // unlike peak RSS, this does not depend on when V8 chose to collect garbage.
      if (progress.pass !== 'write' || heldMb !== undefined || !global.gc) return;
      readPeakMb = process.resourceUsage().maxRSS / 1024;
      global.gc();
      heldMb = process.memoryUsage().heapUsed / 1024 / 1024;
    },
  );
  rows = result.rows;
} else {
  const file = folderSink(out).open('bare.csv');
  // One write at a time: the shards' pages arrive in parallel, the file takes them in turn. Pages
  // of the export's size: DynamoDB Local reads a full 1 MB page far more slowly per item.
  let writing = Promise.resolve();
  await Promise.all(
    Array.from({ length: RESPONSE_SHARDS }, async (_, shard) => {
      for await (const page of queryPages(
        db,
        keys.responsePartition(surveyId, shard),
        undefined,
        undefined,
        RESPONSE_PAGE_ITEMS,
      )) {
        const lines = page.map((item) => [item.waveId, item.audience, item.submittedOn, JSON.stringify(item.answers)]);
        rows += lines.length;
        writing = writing.then(() => file.write(stringify(lines)));
        await writing;
      }
    }),
  );
  await file.close();
}
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({ mode, rows, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, heldMb, readPeakMb }),
);
