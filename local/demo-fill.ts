import { readCells, totalOf } from '../shared/data/aggregate-store.js';
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

/** Generates and stores `count` demo responses; the same seed gives the same responses (stored once). */
export async function fillDemo(db: Db, definition: SurveyDefinition, options: FillOptions): Promise<WriteSummary> {
  const inputs = generateDemoResponses(definition, {
    count: options.count,
    random: seededRandom(options.seed),
    now: options.now,
  });
  return writeDemoResponses(db, inputs, { concurrency: options.concurrency, signal: options.signal });
}
