import { parseArgs } from 'node:util';
import { reportDrift } from '../local/admin-cli/aggregates.js';
import { runCli, UsageError } from '../local/admin-cli/command.js';
import { JavaMissingError } from '../local/dynamodb-local.js';
import { TARGET_OPTIONS, targetHelp, withTargetDb } from '../local/target-db.js';
import { checkAggregates } from '../shared/data/aggregate-store.js';
import { getDefinition } from '../shared/data/survey-store.js';
import { ResonanzError } from '../shared/errors.js';

// Local runs only (Lambda runs Node 24). Documented switch: https://github.com/aws/aws-sdk-js-v3/issues/7983
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const HELP = `Recompute a survey's aggregates from its raw responses and report any drift.

Usage: npm run verify -- --survey ID [--data-dir DIR | --table NAME [--region R]]

  --survey ID       survey id
${targetHelp(20).join('\n')}
  -h, --help        show this help

Exit code 0 when stored aggregates equal the recomputation (drift must be zero), 1 otherwise.
To repair drift: npm run admin -- recompute --survey ID
Without --table: uses the running "npm start" when there is one, otherwise starts DynamoDB Local on the folder.
With --table: AWS credentials from the usual places (environment, profile, SSO); nothing local starts.`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { survey: { type: 'string' }, ...TARGET_OPTIONS, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const surveyId = values.survey;
  if (!surveyId) throw new UsageError('--survey is required; see --help');
  return withTargetDb(values, async ({ db, source }) => {
    console.log(`verifying ${surveyId} in ${source}`);
    const definition = await getDefinition(db, surveyId);
    return reportDrift(surveyId, await checkAggregates(db, definition, new Date()), (line) => console.log(line));
  });
}

runCli(main, (error) => error instanceof JavaMissingError || error instanceof ResonanzError);
