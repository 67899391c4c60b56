import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { cellKey, contributionOf, shardOf } from '../../shared/aggregate/contribution.js';
import { readCells, totalOf, verifyAggregates } from '../../shared/data/aggregate-store.js';
import { saveResponse } from '../../shared/data/response-store.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import { type Db, keys } from '../../shared/data/table.js';
import { buildResponse } from '../../shared/response/build.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
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
