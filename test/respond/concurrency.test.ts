import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCells, totalOf, verifyAggregates } from '../../shared/data/aggregate-store.js';
import { scanResponses } from '../../shared/data/response-store.js';
import type { Db } from '../../shared/data/table.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';
import { jsonPost, respondAppWith } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

/** Fisher-Yates with a fixed linear congruential sequence: the same interleaving every run. */
function shuffled<T>(items: T[], seed: number): T[] {
  let state = seed;
  for (let i = items.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

describe('concurrent submissions', () => {
  let db: Db;
  let app: Awaited<ReturnType<typeof respondAppWith>>['app'];

  beforeAll(async () => {
    db = await freshTable();
    ({ app } = await respondAppWith(db, miniSurvey, 'w0'));
  });

  it('stores 150 of 200 parallel submissions when 50 repeat an earlier submissionId', async () => {
    // Prepare: 150 distinct submissions in three cells, 50 repeats racing their originals.
    // DynamoDB Local serialises transactions, so this proves exactly-once under parallel requests
    // and racing retries; real TransactionConflict retries are covered in faults.test.ts.
    const unique = Array.from({ length: 150 }, (_, i) => ({
      submissionId: randomUUID(),
      audience: 'public',
      answers: { ...miniAnswers, city: i % 3 === 0 ? 'beta' : 'alpha', img_modern: (i % 5) + 1 },
    }));
    const repeats = unique.slice(0, 50).map((s) => ({ ...s }));
    const all = shuffled([...unique, ...repeats], 20261121);

    // Act
    const statuses = await Promise.all(
      all.map(async (body) => (await app.request('/api/v1/surveys/mini/responses', jsonPost(body))).status),
    );

    // Assess
    expect(statuses.filter((s) => s === 201)).toHaveLength(150);
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    let stored = 0;
    for await (const _ of scanResponses(db, 'mini')) stored++;
    expect(stored).toBe(150);
    const total = totalOf(await readCells(db, 'mini', 'w0', miniSurvey.settings.aggregateShards));
    expect(total.n).toBe(150);
    expect(total['city#o#beta']).toBe(50);
    const expectedSum = unique.reduce((sum, s) => sum + s.answers.img_modern, 0);
    expect(total['img_modern#s']).toBe(expectedSum);
    expect(await verifyAggregates(db, miniSurvey)).toEqual([]);
  }, 60_000);
});
