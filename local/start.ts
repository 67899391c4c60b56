import { join, resolve } from 'node:path';
import { ALL_CAMPAIGNS } from '../functions/lib/auth.js';
import { readConfig } from '../functions/lib/config.js';
import type { LogLevel } from '../functions/lib/logger.js';
import { createRuntime, type Runtime } from '../functions/lib/runtime.js';
import { ensureTable } from '../shared/data/table.js';
import type { Audience, SurveyDefinition } from '../shared/survey/schema.js';
import { fillDemo, responseCount } from './demo-fill.js';
import { loadDevKey, mintDevToken } from './dev-token.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { liveEndpoint, removeEndpointFile, writeEndpointFile } from './endpoint-file.js';
import { loadSurveys } from './load-surveys.js';
import { ensureOpenWave } from './open-wave.js';
import { privateDir } from './private-files.js';
import { publishSurvey } from './publish.js';
import { PUBLIC_RATE_LIMIT } from './rate-limit.js';
import { createLocalApp, serveLocal } from './server.js';

export interface StartLocalOptions {
  /** Folder for the database, dev key and endpoint file (`.data`). */
  dataDir: string;
  /** Folder of survey files to validate and publish (`surveys`). */
  surveysDir: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  tableName?: string;
  /** Demo responses per survey, written only while the survey has none. */
  demoResponses?: number;
  demoSeed?: number;
  /**
   * Wave to open in every survey that has it; default: on a first start with demo data the latest
   * wave (the demo's earlier waves are over), else the baseline if no wave is open.
   */
  demoWave?: string;
  logLevel?: LogLevel;
  /** Progress lines while starting and when background demo data is done. */
  onProgress?: (line: string) => void;
  now?: () => Date;
}

export interface LocalSurvey {
  definition: SurveyDefinition;
  openWave: string;
  audiences: Audience[];
  /** Demo responses being written in the background (the survey had none). */
  demoPlanned: number;
  note?: string;
}

export interface DemoOutcome {
  surveyId: string;
  created: number;
  replayed: number;
  error?: string;
}

export interface LocalSystem {
  url: string;
  endpoint: string;
  tableName: string;
  dataDir: string;
  surveys: LocalSurvey[];
  /** A dev token for the lead pages' one-click sign-in link (lead and admin of every campaign, 8 h). */
  signInToken: string;
  /** Settles when background demo data is written (at once when there is none). */
  demo: Promise<DemoOutcome[]>;
  stop(): Promise<void>;
}

export class AlreadyRunningError extends Error {
  constructor(dataDir: string, owner: string, endpoint: string, options?: ErrorOptions) {
    const command = owner === 'start' ? 'npm start' : 'npm run demo';
    super(`${dataDir} is in use by a running "${command}" (DynamoDB Local at ${endpoint}); stop it first`, options);
    this.name = 'AlreadyRunningError';
  }
}

async function prepareSurvey(
  runtime: Runtime,
  definition: SurveyDefinition,
  options: StartLocalOptions,
  now: Date,
): Promise<LocalSurvey> {
  // Locally the survey files are the truth: an older file (another branch) is served again. Nothing
  // is serving yet, so a changed retention rule needs no wait for cached definitions.
  await publishSurvey(runtime.db, definition, { makeCurrent: true });
  const wanted = options.demoResponses ?? 0;
  const empty = wanted > 0 && (await responseCount(runtime.db, definition)) === 0;
  // Demo data lies in every wave, the latest around today: that wave collects, the earlier ones are
  // over, so the dashboard has closed waves to show (a collecting wave shows no figures yet).
  const latest = empty ? definition.waves.at(-1)?.id : undefined;
  const wave = await ensureOpenWave(runtime.db, definition, { wanted: options.demoWave ?? latest, now });
  return {
    definition,
    openWave: wave.waveId,
    audiences: (Object.keys(definition.audiences) as Audience[]).filter((a) => definition.audiences[a]),
    demoPlanned: empty ? wanted : 0,
    ...(wave.note ? { note: wave.note } : {}),
  };
}

/**
 * The whole local system: DynamoDB Local on `<dataDir>/dynamodb` (kept across restarts), the
 * table, every survey file validated and published with an open wave, and every function's app
 * served with the wiring Lambda uses. Survey files are checked before Java starts, so a broken
 * file fails in a moment. Demo data (~7 ms per response on DynamoDB Local) is written after the
 * server answers, so a first start is not held up by it.
 */
export async function startLocal(options: StartLocalOptions): Promise<LocalSystem> {
  const progress = options.onProgress ?? (() => {});
  const now = options.now ?? (() => new Date());
  const dataDir = resolve(options.dataDir);
  const tableName = options.tableName ?? 'resonanz-local';

  const definitions = await loadSurveys(options.surveysDir);
  const running = await liveEndpoint(dataDir);
  if (running) throw new AlreadyRunningError(dataDir, running.owner, running.endpoint);

  progress('starting DynamoDB Local...');
  privateDir(dataDir);
  const dynamo = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') });
  const cleanups: (() => Promise<unknown>)[] = [() => dynamo.stop()];
  const stop = async () => {
    // Reverse order of start: demo writes and server first, the database last.
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    await writeEndpointFile(dataDir, { endpoint: dynamo.endpoint, tableName, pid: process.pid, owner: 'start' });
    cleanups.push(() => removeEndpointFile(dataDir));

    const config = readConfig({
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      LOG_LEVEL: options.logLevel,
      IMPACT_MAX_AGE_SECONDS: process.env.IMPACT_MAX_AGE_SECONDS,
    });
    const runtime = createRuntime(config);
    cleanups.push(async () => runtime.client.destroy());
    await ensureTable(runtime.client, tableName);

    const surveys: LocalSurvey[] = [];
    for (const definition of definitions) surveys.push(await prepareSurvey(runtime, definition, options, now()));

    const devKey = await loadDevKey(dataDir);
    const signInToken = await mintDevToken(
      { sub: 'local-dev', roles: ['lead', 'admin'], campaigns: [ALL_CAMPAIGNS] },
      devKey,
      {
        ttl: '8h',
      },
    );
    const server = await serveLocal(
      createLocalApp(runtime, {
        devKey,
        impactMaxAgeMs: config.IMPACT_MAX_AGE_SECONDS * 1000,
        exportDir: join(dataDir, 'exports'),
        publicRateLimit: PUBLIC_RATE_LIMIT,
        // Links and poster QR codes name the site's public address when one is set.
        ...(config.PUBLIC_BASE_URL ? { publicBaseUrl: config.PUBLIC_BASE_URL } : {}),
      }),
      {
        port: options.port,
        host: options.host ?? '127.0.0.1',
      },
    );
    cleanups.push(() => server.close());

    const abort = new AbortController();
    const demo = fillInBackground(runtime, surveys, { ...options, now: now() }, abort.signal, progress);
    cleanups.push(() => {
      abort.abort();
      return demo;
    });
    return { url: server.url, endpoint: dynamo.endpoint, tableName, dataDir, surveys, signInToken, demo, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function fillInBackground(
  runtime: Runtime,
  surveys: LocalSurvey[],
  options: { demoSeed?: number; now: Date },
  signal: AbortSignal,
  progress: (line: string) => void,
): Promise<DemoOutcome[]> {
  const outcomes: DemoOutcome[] = [];
  for (const { definition, demoPlanned } of surveys) {
    if (demoPlanned === 0 || signal.aborted) continue;
    const started = Date.now();
    try {
      const written = await fillDemo(runtime.db, definition, {
        count: demoPlanned,
        seed: options.demoSeed ?? 1,
        now: options.now,
        signal,
      });
      outcomes.push({ surveyId: definition.id, ...written });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      progress(`demo data: ${written.created} responses added to ${definition.id} (${seconds} s)`);
    } catch (error) {
      // Demo data is a convenience: report it and keep serving.
      const message = error instanceof Error ? error.message : String(error);
      outcomes.push({ surveyId: definition.id, created: 0, replayed: 0, error: message });
      if (!signal.aborted) progress(`demo data for ${definition.id} failed: ${message}`);
    }
  }
  return outcomes;
}
