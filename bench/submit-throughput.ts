import { randomUUID } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { silentLogger } from '../functions/lib/logger.js';
import { createRespondApp } from '../functions/respond/app.js';
import { localClient, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { contributionOf } from '../shared/aggregate/contribution.js';
import { createCatalog } from '../shared/data/catalog.js';
import { aggregateUpdates } from '../shared/data/response-store.js';
import { publishDefinition, setWaveState } from '../shared/data/survey-store.js';
import { createDb, ensureTable } from '../shared/data/table.js';
import { buildResponse } from '../shared/response/build.js';
import { miniAnswers, miniSurvey } from '../test/fixtures/mini-survey.js';
import { alternate, pct, pool } from './pool.js';

/**
 * Submit throughput: our whole write path (HTTP parsing, validation, build, transaction) through the
 * Hono app in-process, against the bare `TransactWriteItems` rate for the same items, same
 * DynamoDB Local, same concurrency. The ratio is what our code costs on top of the database.
 */
const COUNT = Number(process.env.BENCH_COUNT ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const cities = ['alpha', 'beta', 'elsewhere'];

export async function run(): Promise<void> {
  const dynamo = await startDynamoDbLocal();
  try {
    const client = localClient(dynamo.endpoint);
    const answersFor = (i: number) => ({ ...miniAnswers, city: cities[i % 3] ?? 'alpha', img_modern: (i % 5) + 1 });

    // Baseline: the same transaction our code sends, prepared in advance, sent directly.
    const bare = createDb(client, 'bench');
    await ensureTable(client, bare.tableName);
    const items = Array.from({ length: COUNT }, (_, i) => {
      const response = buildResponse({
        definition: miniSurvey,
        audience: 'public',
        waveId: 'w0',
        submissionId: randomUUID(),
        channel: undefined,
        activeChannels: new Set<string>(),
        locale: 'de',
        answers: answersFor(i),
        now: new Date(),
      });
      return { response, updates: aggregateUpdates(contributionOf(miniSurvey, response)) };
    });
    // Warm-up: DynamoDB Local's JVM compiles its hot paths over the first few hundred requests;
    // without this the first measured run (the baseline) would look slow.
    const warm = Math.min(500, COUNT);
    await pool(warm, CONCURRENCY, async (i) => {
      const { response } = items[i] ?? (items[0] as (typeof items)[number]);
      await bare.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: bare.tableName, Item: { pk: `W#${i}`, sk: response.responseId, ...response } } },
          ],
        }),
      );
    });
    const bareTask = async (i: number) => {
      const { response, updates } = items[i] ?? (items[0] as (typeof items)[number]);
      await bare.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: bare.tableName,
                Item: { pk: `R#${i % 16}`, sk: response.responseId, ...response },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...updates.map((u, part) => ({
              Update: {
                TableName: bare.tableName,
                Key: { pk: `A#${i % 8}`, sk: `cell${i % 3}#${part}` },
                UpdateExpression: u.expression,
                ExpressionAttributeNames: u.names,
                ExpressionAttributeValues: u.values,
              },
            })),
          ],
        }),
      );
    };

    // Ours: the respondent app end to end, on the same table.
    const db = bare;
    await publishDefinition(db, miniSurvey);
    await setWaveState(db, miniSurvey.id, { waveId: 'w0', state: 'open' });
    const app = createRespondApp({ db, catalog: createCatalog(db), logger: silentLogger, now: () => new Date() });
    let failures = 0;
    const appTask = async (i: number) => {
      const res = await app.request('/api/v1/surveys/mini/responses', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ submissionId: randomUUID(), audience: 'public', answers: answersFor(i) }),
      });
      if (res.status !== 201) failures++;
    };

    const [bareSide, appSide] = await alternate(4, COUNT, CONCURRENCY, bareTask, appTask);
    const { latencies: bareLat, seconds: bareSeconds } = bareSide;
    const { latencies: appLat, seconds: appSeconds } = appSide;

    const bareRate = COUNT / bareSeconds;
    const appRate = COUNT / appSeconds;
    console.log(`submit throughput: ${COUNT} submissions, concurrency ${CONCURRENCY}, DynamoDB Local in memory`);
    console.log(
      `  bare TransactWriteItems : ${bareRate.toFixed(0)}/s  p50 ${pct(bareLat, 50).toFixed(1)} ms  p95 ${pct(bareLat, 95).toFixed(1)} ms  p99 ${pct(bareLat, 99).toFixed(1)} ms`,
    );
    console.log(
      `  respondent app (HTTP)   : ${appRate.toFixed(0)}/s  p50 ${pct(appLat, 50).toFixed(1)} ms  p95 ${pct(appLat, 95).toFixed(1)} ms  p99 ${pct(appLat, 99).toFixed(1)} ms  non-201: ${failures}`,
    );
    console.log(`  ratio bare/app throughput: ${(bareRate / appRate).toFixed(2)}x (target < 1.5x)`);
    client.destroy();
  } finally {
    await dynamo.stop();
  }
}
