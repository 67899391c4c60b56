import { readCells, totalOf } from '../shared/data/aggregate-store.js';
import { dropSnapshots } from '../shared/data/impact-snapshot-store.js';
import type { Db } from '../shared/data/table.js';
import type { SurveyDefinition } from '../shared/survey/schema.js';
import { generateDemoResponses } from './demo-data.js';
import { type WriteSummary, writeDemoResponses } from './demo-write.js';
import { seededRandom } from './random.js';

/** Responses stored for a survey, from the aggregates (cheap: never scans responses). */
export async function responseCount(db: Db, definition: SurveyDefinition): Promise<number> {
  const totals = await Promise.all(
    definition.waves.map(
      async (w) => totalOf(await readCells(db, definition.id, w.id, definition.settings.aggregateShards)).n ?? 0,
    ),
  );
  return totals.reduce((a, b) => a + b, 0);
}

export interface FillOptions {
  count: number;
  seed: number;
  now: Date;
  concurrency?: number;
  signal?: AbortSignal;
}

/**
 * Generates and stores `count` demo responses; the same seed gives the same responses (stored once).
 * Demo responses are dated into waves that are over, which real ones never are: a dashboard read
 * while they were written (`npm start` writes them in the background) released those waves with
 * part of them, and a release is kept for good. So the survey's snapshots and releases are dropped
 * once the demo is written, and the next read releases the waves with every demo response.
 */
export async function fillDemo(db: Db, definition: SurveyDefinition, options: FillOptions): Promise<WriteSummary> {
  const inputs = generateDemoResponses(definition, {
    count: options.count,
    random: seededRandom(options.seed),
    now: options.now,
  });
  const written = await writeDemoResponses(db, inputs, { concurrency: options.concurrency, signal: options.signal });
  if (written.created > 0) await dropSnapshots(db, definition.id, { releases: true });
  return written;
}
