import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { EXPORT_NODE_OPTIONS } from '../functions/export/node-options.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { createDb, ensureTable } from '../shared/data/table.js';
import { bulkLoad, surveyCopy } from './bulk-load.js';

/**
 * Export throughput and memory at `BENCH_EXPORT_SIZES` (default 100,000 and 400,000) synthetic
 * responses. The data is bulk-loaded once into DynamoDB Local under `.data/bench-export/` and kept
 * between runs (a marker item says which sizes are complete). Each export runs in a child process
 * (bench/export-child.ts) so its peak RSS is its own; beside it the baseline, a bare
 * query-and-write-CSV loop over the same responses, in the same run.
 * Targets: peak RSS under 300 MB and flat (the sizes within 15%); throughput within 2x of the baseline.
 */
const SIZES = (process.env.BENCH_EXPORT_SIZES ?? '100000,400000').split(',').map(Number);
const DATA_DIR = resolve('.data/bench-export');
const TABLE = 'bench-export';

interface Measured {
  rows: number;
  seconds: number;
  peakRssMb: number;
  heldMb?: number;
  readPeakMb?: number;
}

function child(mode: 'export' | 'bare', endpoint: string, surveyId: string): Measured {
  const out = join(DATA_DIR, 'out', `${surveyId}-${mode}`);
  const stdout = execFileSync('npx', ['tsx', 'bench/export-child.ts', mode, endpoint, TABLE, surveyId, out], {
    encoding: 'utf8',
    // Both with the export worker's V8 options (functions/export/node-options.ts): the same runtime.
    env: {
      ...process.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${EXPORT_NODE_OPTIONS} --expose-gc`.trim(),
    },
    maxBuffer: 1 << 20,
  });
  rmSync(out, { recursive: true, force: true });
  const line = stdout.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(line) as Measured;
}

export async function run(): Promise<void> {
  mkdirSync(DATA_DIR, { recursive: true });
  // 400,000 responses on disk: DynamoDB Local drops connections during the load with less heap.
  const dynamo = await startDynamoDbLocal({ dataDir: join(DATA_DIR, 'dynamodb'), heapMb: 6144 });
  try {
    // A fresh connection per request and patient retries: under a long bulk load DynamoDB Local
    // now and then drops a kept-alive connection, which a one-attempt client does not survive.
    const client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 8,
      requestHandler: { httpAgent: new Agent({ keepAlive: false }), requestTimeout: 120_000 },
    });
    const db = createDb(client, TABLE);
    await ensureTable(client, TABLE);
    console.log('export scale: anonymised CSV bundle vs bare query-and-write-CSV, DynamoDB Local on disk');
    const results: { size: number; exported: Measured; bare: Measured }[] = [];
    for (const size of SIZES) {
      const surveyId = `bench-export-${size}`;
      const marker = { pk: `BENCH#${surveyId}`, sk: 'LOADED' };
      const loaded = await db.doc.send(new GetCommand({ TableName: TABLE, Key: marker }));
      if (!loaded.Item) {
        const t = performance.now();
        await bulkLoad(db, surveyCopy(surveyId), size, 7);
        await db.doc.send(new PutCommand({ TableName: TABLE, Item: { ...marker, size } }));
        console.log(
          `  loaded ${size} responses in ${((performance.now() - t) / 1000).toFixed(0)} s (kept in ${DATA_DIR})`,
        );
      }
      // The baseline first: it warms DynamoDB Local up, which if anything favours the export after it.
      const bare = child('bare', dynamo.endpoint, surveyId);
      const exported = child('export', dynamo.endpoint, surveyId);
      results.push({ size, exported, bare });
      const rate = (m: Measured) => m.rows / m.seconds;
      console.log(
        `  ${size} responses: export ${rate(exported).toFixed(0)} rows/s, peak RSS ${exported.peakRssMb.toFixed(0)} MB (${exported.readPeakMb?.toFixed(0)} MB by the end of reading, ${exported.heldMb?.toFixed(0)} MB held after it); bare ${rate(bare).toFixed(0)} rows/s, peak RSS ${bare.peakRssMb.toFixed(0)} MB; bare/export ${(rate(bare) / rate(exported)).toFixed(2)}x (target <= 2)`,
      );
      if (exported.rows !== size) throw new Error(`exported ${exported.rows} rows of ${size}`);
    }
    const rss = results.map((r) => r.exported.peakRssMb);
    if (rss.length > 1) {
      const spread = Math.max(...rss) / Math.min(...rss);
      console.log(`  peak RSS largest/smallest: ${spread.toFixed(2)}x (target <= 1.15, and under 300 MB)`);
      const held = results.map((r) => r.exported.heldMb ?? Number.NaN);
      console.log(
        `  heap held between the passes: ${held.map((m) => `${m.toFixed(1)} MB`).join(' / ')} (what the export keeps; peak RSS adds pages in flight and garbage)`,
      );
    }
  } finally {
    await dynamo.stop();
  }
}
