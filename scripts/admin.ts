import { parseArgs } from 'node:util';
import { aggregateCommands } from '../local/admin-cli/aggregates.js';
import { channelCommands } from '../local/admin-cli/channels.js';
import { type AdminCommand, requireString, runCli, UsageError } from '../local/admin-cli/command.js';
import { invitationCommands } from '../local/admin-cli/invitations.js';
import { quotaCommands } from '../local/admin-cli/quotas.js';
import { responseCommands } from '../local/admin-cli/responses.js';
import { surveyCommands } from '../local/admin-cli/surveys.js';
import { waveCommands } from '../local/admin-cli/waves.js';
import { JavaMissingError } from '../local/dynamodb-local.js';
import { SurveyFilesInvalidError } from '../local/load-surveys.js';
import { TARGET_OPTIONS, targetHelp, withTargetDb } from '../local/target-db.js';
import { createCatalog } from '../shared/data/catalog.js';
import { ResonanzError } from '../shared/errors.js';

// Local runs only (Lambda runs Node 24). Documented switch: https://github.com/aws/aws-sdk-js-v3/issues/7983
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Every command; an area adds its list here. */
const COMMANDS: AdminCommand[] = [
  ...surveyCommands,
  ...waveCommands,
  ...channelCommands,
  ...invitationCommands,
  ...quotaCommands,
  ...aggregateCommands,
  ...responseCommands,
];

const COMMON = { ...TARGET_OPTIONS, help: { type: 'boolean', short: 'h' } } as const;

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return [
    'Administer surveys in the local database or a deployed table (the admin API offers the same operations).',
    '',
    'Usage: npm run admin -- <area> <command> [options]  (recompute and verify are commands of their own)',
    '',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.help}`),
    '',
    'Options for every command:',
    ...targetHelp(20),
    '  -h, --help        this overview, or the help of one command (npm run admin -- waves open --help)',
    '',
    'Without --table: uses the running "npm start" when there is one, otherwise starts DynamoDB Local on the folder.',
    'With --table: AWS credentials from the usual places (environment, profile, SSO); nothing local starts.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [area, name] = argv.filter((a) => !a.startsWith('-'));
  // A command without a name (`recompute`) is its area alone; whatever follows is an option value.
  const command = COMMANDS.find((c) => c.area === area && (c.name === '' || c.name === name));
  if (!command) {
    const asked = argv.includes('--help') || argv.includes('-h') || argv.length === 0;
    if (!asked) throw new UsageError(`unknown command "${[area, name].filter(Boolean).join(' ')}"; see --help`);
    console.log(overview());
    return 0;
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...COMMON, ...command.options },
  });
  if (values.help) {
    console.log(`npm run admin -- ${command.usage}\n  ${command.help}`);
    return 0;
  }
  const rest = positionals.slice(command.name === '' ? 1 : 2);
  const [unexpected] = rest;
  if (unexpected !== undefined && !command.positionals)
    throw new UsageError(`unexpected argument "${unexpected}"; see --help`);
  for (const name of command.required) requireString(values, name);
  await command.check?.(values, rest);
  return withTargetDb(values, ({ db, source }) => {
    console.log(`database: ${source}`);
    return command.run({
      db,
      catalog: createCatalog(db, { ttlMs: 0 }),
      values,
      positionals: rest,
      now: new Date(),
      print: (line) => console.log(line),
    });
  });
}

runCli(
  main,
  (error) =>
    error instanceof JavaMissingError || error instanceof ResonanzError || error instanceof SurveyFilesInvalidError,
);
