import { readFileSync } from 'node:fs';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { generateDemoResponses } from '../local/demo-data.js';
import { seededRandom } from '../local/random.js';
import { addCounters, type Counters, cellKey, contributionOf, shardOf } from '../shared/aggregate/contribution.js';
import { counterParts, partSortKey } from '../shared/data/aggregate-layout.js';
import { responseKey } from '../shared/data/response-store.js';
import { publishDefinition } from '../shared/data/survey-store.js';
import { type Db, keys } from '../shared/data/table.js';
import { buildResponse } from '../shared/response/build.js';
import { parseSurveyFile } from '../shared/survey/parse-file.js';
import type { SurveyDefinition } from '../shared/survey/schema.js';

/** The Recklinghausen survey under another id, so benchmark data never mixes with a real survey's. */
export function surveyCopy(id: string): SurveyDefinition {
  const parsed = parseSurveyFile(
    'surveys/handwerk-recklinghausen.yaml',
    readFileSync('surveys/handwerk-recklinghausen.yaml', 'utf8'),
  );
  if (!parsed.ok) throw new Error('the Recklinghausen survey does not parse');
  return { ...parsed.definition, id };
}

async function batchWrite(db: Db, items: Record<string, unknown>[]): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < batches.length) {
        let pending = (batches[next++] ?? []).map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 1; pending.length > 0; attempt++) {
          try {
            const out = await db.doc.send(new BatchWriteCommand({ RequestItems: { [db.tableName]: pending } }));
            pending = (out.UnprocessedItems?.[db.tableName] ?? []) as typeof pending;
          } catch (error) {
            // DynamoDB Local sometimes drops a connection under a long bulk load: try the batch again.
            if (attempt >= 8) throw error;
            await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
          }
        }
      }
    }),
  );
}

const CHUNK = 20_000;

/**
 * Writes `count` demo responses and the aggregate cells they add up to, as the submit transaction
 * would have (response items, cell counters split into parts), in chunks so memory holds one chunk
 * and the cells. Returns the number of aggregate items written.
 */
export async function bulkLoad(db: Db, definition: SurveyDefinition, count: number, seed: number): Promise<number> {
  await publishDefinition(db, definition);
  const shards = definition.settings.aggregateShards;
  const cells = new Map<string, { pk: string; cell: string; counters: Counters }>();
  for (let done = 0, chunk = 0; done < count; done += CHUNK, chunk++) {
    const inputs = generateDemoResponses(definition, {
      count: Math.min(CHUNK, count - done),
      random: seededRandom(seed * 10_000 + chunk),
      now: new Date('2027-06-30T12:00:00Z'),
    });
    const responses: Record<string, unknown>[] = [];
    for (const input of inputs) {
      const response = buildResponse(input);
      responses.push({ ...responseKey(response), ...response });
      const pk = keys.aggregatePartition(definition.id, response.waveId, shardOf(response.responseId, shards));
      const cell = cellKey(response.audience, response.dimensions);
      const slot = cells.get(`${pk}|${cell}`) ?? { pk, cell, counters: {} };
      addCounters(slot.counters, contributionOf(definition, response));
      cells.set(`${pk}|${cell}`, slot);
    }
    await batchWrite(db, responses);
  }
  const aggregateItems = [...cells.values()].flatMap(({ pk, cell, counters }) =>
    counterParts(counters).map((part, i) => ({ pk, sk: partSortKey(cell, i), ...part })),
  );
  await batchWrite(db, aggregateItems);
  return aggregateItems.length;
}
