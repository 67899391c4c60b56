import { parseArgs } from 'node:util';
import * as z from 'zod';
import { LOG_LEVELS } from '../functions/lib/logger.js';
import { formatBanner } from '../local/banner.js';
import { JavaMissingError } from '../local/dynamodb-local.js';
import { SurveyFilesInvalidError } from '../local/load-surveys.js';
import { AlreadyRunningError, startLocal } from '../local/start.js';
import { AggregateShardsChangedError, DefinitionVersionConflictError } from '../shared/errors.js';

// Local runs only: Node 20 is supported here until the SDK drops it; Lambda runs Node 24.
// Documented switch: https://github.com/aws/aws-sdk-js-v3/issues/7983
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const HELP = `Start the whole system locally: DynamoDB Local, every survey in surveys/, the apps.

Usage: npm start

Environment:
  PORT                     port to serve on (default 3000; 0 picks a free one)
  HOST                     interface to listen on (default 127.0.0.1; 0.0.0.0 for your network)
  RESONANZ_DATA_DIR        database, dev key and endpoint file (default .data)
  RESONANZ_SURVEYS_DIR     survey files to validate and publish (default surveys)
  RESONANZ_DEMO_RESPONSES  demo responses per survey, written only while it has none (default 1200; 0 = none)
  RESONANZ_DEMO_WAVE       wave to open in every survey that has it (default: baseline, if none is open)
  LOG_LEVEL                info, warn, error or silent (default info)

Requires Java 17+ (for DynamoDB Local). Ctrl-C stops the server and DynamoDB Local.`;

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  RESONANZ_DATA_DIR: z.string().min(1).default('.data'),
  RESONANZ_SURVEYS_DIR: z.string().min(1).default('surveys'),
  RESONANZ_DEMO_RESPONSES: z.coerce.number().int().min(0).max(100_000).default(1200),
  RESONANZ_DEMO_WAVE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});

/** Errors the user can fix: a message, no stack trace. */
const EXPECTED = [
  JavaMissingError,
  SurveyFilesInvalidError,
  AlreadyRunningError,
  DefinitionVersionConflictError,
  AggregateShardsChangedError,
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const raw = Object.fromEntries(Object.keys(Env.shape).map((k) => [k, process.env[k] || undefined]));
  const env = Env.safeParse(raw);
  if (!env.success) {
    for (const issue of env.error.issues) console.error(`${issue.path.join('.')}: ${issue.message}`);
    process.exitCode = 1;
    return;
  }
  // Signals are handled from the start: one arriving while DynamoDB Local boots must still stop it.
  let stopping: string | undefined;
  let stopSystem: (() => Promise<void>) | undefined;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = signal;
    console.log(`\n${signal}: stopping...`);
    if (stopSystem) stopAndExit(stopSystem);
    // else startLocal is still running; it is stopped as soon as it returns
  };
  const stopAndExit = (stop: () => Promise<void>) => {
    stop().then(
      () => {
        console.log('stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const system = await startLocal({
    dataDir: env.data.RESONANZ_DATA_DIR,
    surveysDir: env.data.RESONANZ_SURVEYS_DIR,
    port: env.data.PORT,
    host: env.data.HOST,
    demoResponses: env.data.RESONANZ_DEMO_RESPONSES,
    demoWave: env.data.RESONANZ_DEMO_WAVE,
    logLevel: env.data.LOG_LEVEL,
    onProgress: (line) => console.log(line),
  });
  stopSystem = () => system.stop();
  if (stopping) {
    stopAndExit(stopSystem);
    return;
  }
  console.log(formatBanner(system));
}

main().catch((error: unknown) => {
  if (EXPECTED.some((type) => error instanceof type)) {
    console.error((error as Error).message);
  } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`port ${process.env.PORT ?? 3000} is in use: stop what runs there or start with another PORT`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
