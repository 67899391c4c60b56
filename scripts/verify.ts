import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { reportDrift } from '../local/admin-cli/aggregates.js';
import { JavaMissingError } from '../local/dynamodb-local.js';
import { withLocalDb } from '../local/local-db.js';
import { verifyAggregates } from '../shared/data/aggregate-store.js';
import { getDefinition } from '../shared/data/survey-store.js';
import { SurveyNotFoundError } from '../shared/errors.js';

// Local runs only (Lambda runs Node 22). Documented switch: https://github.com/aws/aws-sdk-js-v3/issues/7983
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const HELP = `Recompute a survey's aggregates from its raw responses and report any drift.

Usage: npm run verify -- --survey ID [--data-dir DIR]

  --survey ID      survey id
  --data-dir DIR   local data folder (default .data, or RESONANZ_DATA_DIR)
  -h, --help       show this help

Exit code 0 when stored aggregates equal the recomputation (drift must be zero), 1 otherwise.
To repair drift: npm run admin -- recompute --survey ID
Uses the running "npm start" when there is one, otherwise starts DynamoDB Local on the folder.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      survey: { type: 'string' },
      'data-dir': { type: 'string', default: process.env.RESONANZ_DATA_DIR || '.data' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const surveyId = values.survey;
  if (!surveyId) {
    console.error('--survey is required; see --help');
    return 1;
  }
  return withLocalDb(resolve(values['data-dir']), async ({ db, source }) => {
    console.log(`verifying ${surveyId} in ${source}`);
    const definition = await getDefinition(db, surveyId);
    return reportDrift(surveyId, await verifyAggregates(db, definition), (line) => console.log(line));
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof JavaMissingError || error instanceof SurveyNotFoundError) console.error(error.message);
    else if (String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS'))
      console.error((error as Error).message);
    else console.error(error);
    process.exit(1);
  },
);
