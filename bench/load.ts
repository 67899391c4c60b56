import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { readConfig } from '../functions/lib/config.js';
import { createRuntime } from '../functions/lib/runtime.js';
import { generateDemoResponses } from '../local/demo-data.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { loadSurveys } from '../local/load-surveys.js';
import { seededRandom } from '../local/random.js';
import { createLocalApp, serveLocal } from '../local/server.js';
import { contributionOf } from '../shared/aggregate/contribution.js';
import { readCells, totalOf, verifyAggregates } from '../shared/data/aggregate-store.js';
import { responseTransactItems, scanResponses } from '../shared/data/response-store.js';
import { publishDefinition, setWaveState } from '../shared/data/survey-store.js';
import { createDb, type Db, ensureTable } from '../shared/data/table.js';
import { cancellationReasons } from '../shared/data/transient.js';
import type { BuildInput } from '../shared/response/build.js';
import { buildResponse } from '../shared/response/build.js';
import type { SurveyDefinition } from '../shared/survey/schema.js';
import { alternate, pct, pool } from './pool.js';

/**
 * Load (issue 7): `BENCH_LOAD_COUNT` (10,000) submissions of a shipped survey at
 * `BENCH_LOAD_CONCURRENCY` (50) over HTTP to the local server (the apps wired as `npm start` wires
 * them, without its per-client rate limit, which one load generator would hit at once; on DynamoDB
 * Local in memory), against the bare `TransactWriteItems` rate of the same items
 * on the same DynamoDB Local, in alternating rounds. Afterwards the survey must hold exactly the
 * 201s: stored responses == aggregate n == submissions, and `verify` finds no drift. Then a burst
 * on one aggregate cell (every submission the same audience and dimensions) against as many
 * submissions spread over the cells, for several `aggregateShards`: transaction conflicts counted
 * (each one a retry of our code), 503s, and the throughput ratio.
 */
const COUNT = Number(process.env.BENCH_LOAD_COUNT ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_LOAD_CONCURRENCY ?? 50);
const BURST = Number(process.env.BENCH_LOAD_BURST ?? 2_000);
const SHARDS = (process.env.BENCH_LOAD_SHARDS ?? '1,4,8,16').split(',').map(Number);
const SURVEY = 'handwerk-recklinghausen';
const TABLE = 'bench-load';
const ROUNDS = 4;

interface Counted {
  statuses: Map<number, number>;
  conflicts: number;
}

function bodyOf(input: BuildInput, submissionId = input.submissionId): string {
  const { audience, channel, locale, answers } = input;
  return JSON.stringify({ submissionId, audience, channel, locale, answers });
}

/** A copy of the survey under another id and shard count, published with its baseline open. */
async function publishCopy(db: Db, definition: SurveyDefinition, id: string, shards?: number) {
  const copy = {
    ...definition,
    id,
    settings: { ...definition.settings, aggregateShards: shards ?? definition.settings.aggregateShards },
  };
  await publishDefinition(db, copy);
  await setWaveState(db, id, { waveId: copy.waves[0]?.id ?? '', state: 'open' });
  return copy;
}

export async function run(): Promise<void> {
  const definition = (await loadSurveys('surveys')).find((d) => d.id === SURVEY);
  if (!definition) throw new Error(`survey ${SURVEY} not found in surveys/`);
  const baseline = definition.waves[0]?.id ?? '';
  const dynamo = await startDynamoDbLocal();
  const exportDir = mkdtempSync(join(tmpdir(), 'resonanz-bench-load-'));
  try {
    const runtime = createRuntime(
      readConfig({ TABLE_NAME: TABLE, DYNAMODB_ENDPOINT: dynamo.endpoint, LOG_LEVEL: 'error' }),
    );
    const counted: Counted = { statuses: new Map(), conflicts: 0 };
    // Every transaction conflict the server's client meets (our code then retries with backoff).
    runtime.client.middlewareStack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          if (cancellationReasons(error)?.some((r) => r.Code === 'TransactionConflict')) counted.conflicts++;
          throw error;
        }
      },
      { step: 'initialize', name: 'countConflicts' },
    );
    await ensureTable(runtime.client, TABLE);
    await publishDefinition(runtime.db, definition);
    await setWaveState(runtime.db, SURVEY, { waveId: baseline, state: 'open' });
    const server = await serveLocal(createLocalApp(runtime, { devKey: new Uint8Array(randomBytes(32)), exportDir }), {
      port: 0,
      host: '127.0.0.1',
    });
    const post = async (surveyId: string, body: string) => {
      const res = await fetch(`${server.url}/api/v1/surveys/${surveyId}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await res.arrayBuffer();
      counted.statuses.set(res.status, (counted.statuses.get(res.status) ?? 0) + 1);
    };
    const bare = createDb(runtime.client, 'bench-load-bare');
    await ensureTable(runtime.client, bare.tableName);
    try {
      const inputs = generateDemoResponses(definition, { count: COUNT, random: seededRandom(11), now: new Date() });
      const bodies = inputs.map((input) => bodyOf(input));
      // The bare side: the transaction our code sends for the same response, prepared in advance.
      const transactionOf = (input: BuildInput, submissionId = input.submissionId) => {
        const response = buildResponse({ ...input, submissionId, waveId: baseline });
        const counters = contributionOf(definition, response);
        return new TransactWriteCommand({
          TransactItems: responseTransactItems(bare, response, counters, definition.settings.aggregateShards),
        });
      };
      const transactions = inputs.map((input) => transactionOf(input as BuildInput));

      // Warm-up of both sides (DynamoDB Local's JIT, the server's first requests) on other ids.
      const warm = await publishCopy(runtime.db, definition, `${SURVEY}-warm`);
      await pool(500, CONCURRENCY, (i) => post(warm.id, bodyOf(inputs[i % inputs.length] as BuildInput, randomUUID())));
      await pool(500, CONCURRENCY, async (i) => {
        await bare.doc.send(transactionOf(inputs[i % inputs.length] as BuildInput, randomUUID()));
      });
      counted.statuses.clear();
      counted.conflicts = 0;

      const [bareSide, appSide] = await alternate(
        ROUNDS,
        COUNT,
        CONCURRENCY,
        async (i) => {
          await bare.doc.send(transactions[i] as TransactWriteCommand);
        },
        (i) => post(SURVEY, bodies[i] as string),
      );
      const { latencies: bareLat, seconds: bareSeconds } = bareSide;
      const { latencies: appLat, seconds: appSeconds } = appSide;
      const created = counted.statuses.get(201) ?? 0;
      const serverErrors = [...counted.statuses].filter(([s]) => s >= 500).reduce((sum, [, n]) => sum + n, 0);

      // What the survey holds now: every 201 exactly once, in the responses and in the cells.
      let stored = 0;
      for await (const _ of scanResponses(runtime.db, SURVEY)) stored++;
      const cells = await readCells(runtime.db, SURVEY, baseline, definition.settings.aggregateShards);
      const aggregateN = totalOf(cells).n ?? 0;
      const drift = await verifyAggregates(runtime.db, definition);

      const bareRate = COUNT / bareSeconds;
      const appRate = COUNT / appSeconds;
      const line = (name: string, rate: number, lat: number[]) =>
        `  ${name}: ${rate.toFixed(0)}/s  p50 ${pct(lat, 50).toFixed(1)} ms  p95 ${pct(lat, 95).toFixed(1)} ms  p99 ${pct(lat, 99).toFixed(1)} ms`;
      console.log(
        `load: ${COUNT} submissions of ${SURVEY} at concurrency ${CONCURRENCY}, HTTP to the local server, DynamoDB Local in memory`,
      );
      console.log(line('bare TransactWriteItems  ', bareRate, bareLat));
      console.log(
        `${line('local server (HTTP, 201s)', appRate, appLat)}  statuses ${JSON.stringify(Object.fromEntries(counted.statuses))}  5xx ${serverErrors}  conflicts retried ${counted.conflicts}`,
      );
      console.log(`  bare/ours throughput: ${(bareRate / appRate).toFixed(2)}x (target < 1.5x)`);
      console.log(
        `  after the run: 201s ${created}, stored responses ${stored}, aggregate n ${aggregateN}, verify drift ${drift.length}`,
      );
      if (created !== COUNT || stored !== COUNT || aggregateN !== COUNT || drift.length > 0 || serverErrors > 0) {
        throw new Error('load: the survey does not hold exactly the submissions (see the line above)');
      }

      // One cell under a burst vs the same number spread over cells, per shard count.
      const template = inputs.find((input) => input.audience === 'public') ?? (inputs[0] as BuildInput);
      console.log(
        `  burst on one cell vs spread (${BURST} submissions each, concurrency ${CONCURRENCY}; conflicts = retries of our code):`,
      );
      for (const shards of SHARDS) {
        const copy = await publishCopy(runtime.db, definition, `${SURVEY}-s${shards}`, shards);
        const measure = async (body: (i: number) => string) => {
          counted.statuses.clear();
          counted.conflicts = 0;
          const t = performance.now();
          const lat = await pool(BURST, CONCURRENCY, (i) => post(copy.id, body(i)));
          return {
            rate: BURST / ((performance.now() - t) / 1000),
            p99: pct(lat, 99),
            conflicts: counted.conflicts,
            unavailable: counted.statuses.get(503) ?? 0,
            created: counted.statuses.get(201) ?? 0,
          };
        };
        const spread = await measure((i) => bodyOf(inputs[i % inputs.length] as BuildInput, randomUUID()));
        const burst = await measure(() => bodyOf(template, randomUUID()));
        const copyDrift = await verifyAggregates(runtime.db, copy);
        console.log(
          `    aggregateShards ${String(shards).padStart(2)}: spread ${spread.rate.toFixed(0)}/s (p99 ${spread.p99.toFixed(0)} ms, conflicts ${spread.conflicts}, 503 ${spread.unavailable}); burst ${burst.rate.toFixed(0)}/s (p99 ${burst.p99.toFixed(0)} ms, conflicts ${burst.conflicts}, 503 ${burst.unavailable}); spread/burst ${(spread.rate / burst.rate).toFixed(2)}x; 201s ${spread.created + burst.created}, drift ${copyDrift.length}`,
        );
      }
    } finally {
      await server.close();
      runtime.client.destroy();
    }
  } finally {
    rmSync(exportDir, { recursive: true, force: true });
    await dynamo.stop();
  }
}
