import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fillDemo } from '../local/demo-fill.js';
import { JavaMissingError } from '../local/dynamodb-local.js';
import { loadSurveys, SurveyFilesInvalidError } from '../local/load-surveys.js';
import { withLocalDb } from '../local/local-db.js';
import { getDefinition, publishDefinition } from '../shared/data/survey-store.js';
import type { Db } from '../shared/data/table.js';
import { SurveyNotFoundError } from '../shared/errors.js';
import type { SurveyDefinition } from '../shared/survey/schema.js';

// Local runs only (Lambda runs Node 24). Documented switch: https://github.com/aws/aws-sdk-js-v3/issues/7983
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const HELP = `Add synthetic demo responses to a survey in the local database.

Usage: npm run demo -- --survey ID [--count N] [--seed N]

  --survey ID        survey id (the "id" of a file in surveys/)
  --count N          responses to add, spread over every wave, audience and city (default 500)
  --seed N           seed for the generator; the same seed gives the same responses, which are
                     then stored only once (default: a random seed, printed so you can repeat it)
  --data-dir DIR     local data folder (default .data, or RESONANZ_DATA_DIR)
  --surveys-dir DIR  survey files, used when the survey is not published yet (default surveys)
  -h, --help         show this help

Where it writes: if "npm start" is running on the same data folder, into its DynamoDB Local
(found through <data-dir>/endpoint.json), so new responses show up at once. Otherwise it starts
DynamoDB Local on <data-dir>/dynamodb itself, writes, and stops it again; the next "npm start"
finds the responses there. Responses go through the same checks, response builder and
exactly-once transaction as real submissions, into past waves too.`;

const Count = (value: string, name: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a whole number >= 0, got "${value}"`);
  return n;
};

class UsageError extends Error {
  override name = 'UsageError';
}

async function definitionFor(db: Db, surveyId: string, surveysDir: string): Promise<SurveyDefinition> {
  try {
    return await getDefinition(db, surveyId);
  } catch (error) {
    if (!(error instanceof SurveyNotFoundError)) throw error;
  }
  // Not published yet (no "npm start" on this folder so far): publish it from its file.
  const definitions = await loadSurveys(surveysDir);
  const definition = definitions.find((d) => d.id === surveyId);
  if (!definition) {
    throw new UsageError(`no survey "${surveyId}"; known: ${definitions.map((d) => d.id).join(', ')}`);
  }
  await publishDefinition(db, definition);
  return definition;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      survey: { type: 'string' },
      count: { type: 'string', default: '500' },
      seed: { type: 'string' },
      'data-dir': { type: 'string', default: process.env.RESONANZ_DATA_DIR || '.data' },
      'surveys-dir': { type: 'string', default: 'surveys' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (!values.survey) throw new UsageError('--survey is required; see --help');
  const count = Count(values.count, '--count');
  const seed = values.seed === undefined ? randomInt(2 ** 31) : Count(values.seed, '--seed');
  const dataDir = resolve(values['data-dir']);

  await withLocalDb(dataDir, async ({ db, source }) => {
    console.log(`writing into ${source}`);
    const definition = await definitionFor(db, values.survey ?? '', values['surveys-dir']);
    const started = Date.now();
    const result = await fillDemo(db, definition, { count, seed, now: new Date() });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `${definition.id}: ${result.created} responses added, ${result.replayed} already there (seed ${seed}, ${seconds} s)`,
    );
  });
}

main().catch((error: unknown) => {
  const expected = [UsageError, JavaMissingError, SurveyFilesInvalidError];
  if (expected.some((type) => error instanceof type)) console.error((error as Error).message);
  // parseArgs rejects unknown options with a TypeError carrying an ERR_PARSE_ARGS_* code.
  else if (String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS'))
    console.error((error as Error).message);
  else console.error(error);
  process.exit(1);
});
