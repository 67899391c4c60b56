import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { JavaMissingError } from '../local/dynamodb-local.js';
import { withLocalDb } from '../local/local-db.js';
import { createCatalog } from '../shared/data/catalog.js';
import { getDefinition } from '../shared/data/survey-store.js';
import { ResonanzError } from '../shared/errors.js';
import { closeWave, listWaves, openWave, scheduleWave, type WaveView } from '../shared/waves/manage.js';

// Local runs only (Lambda runs Node 22). Documented switch: https://github.com/aws/aws-sdk-js-v3/issues/7983
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const HELP = `Administer surveys in the local database (the admin API offers the same operations).

Usage: npm run admin -- <command> [options]

Commands:
  waves list     --survey ID                          waves with state, window and whether collecting now
  waves open     --survey ID --wave W                 open W now; other open waves close
  waves close    --survey ID --wave W                 close W
  waves schedule --survey ID --wave W [--opens T] [--closes T]
                                                      collect between T (ISO timestamps, e.g. 2027-03-01T00:00:00+01:00)

Options:
  --data-dir DIR   local data folder (default .data, or RESONANZ_DATA_DIR)
  -h, --help       this help, or the help of a command (npm run admin -- waves open --help)

Uses the running "npm start" when there is one, otherwise starts DynamoDB Local on the folder.`;

const COMMAND_HELP: Record<string, string> = {
  list: 'npm run admin -- waves list --survey ID\n  Lists the waves of the survey: state, opens/closes, collecting now.',
  open: 'npm run admin -- waves open --survey ID --wave W\n  Opens W now (keeping a future close time); every other open wave closes.',
  close: 'npm run admin -- waves close --survey ID --wave W\n  Closes W: the public links answer "not collecting".',
  schedule:
    'npm run admin -- waves schedule --survey ID --wave W [--opens T] [--closes T]\n  W collects between the ISO timestamps T; the window may not overlap another open wave.',
};

class UsageError extends Error {
  override name = 'UsageError';
}

function print(waves: WaveView[]): void {
  for (const w of waves) {
    const window = [w.opensAt ? `from ${w.opensAt}` : '', w.closesAt ? `until ${w.closesAt}` : '']
      .filter(Boolean)
      .join(' ');
    console.log(`${w.collectingNow ? '*' : ' '} ${w.id.padEnd(16)} ${w.kind.padEnd(9)} ${w.state.padEnd(7)} ${window}`);
  }
  console.log('(* = collecting now)');
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      survey: { type: 'string' },
      wave: { type: 'string' },
      opens: { type: 'string' },
      closes: { type: 'string' },
      'data-dir': { type: 'string', default: process.env.RESONANZ_DATA_DIR || '.data' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [area, command] = positionals;
  if (values.help || !area) {
    console.log(area === 'waves' && command && COMMAND_HELP[command] ? COMMAND_HELP[command] : HELP);
    return values.help ? 0 : 1;
  }
  if (area !== 'waves' || !command || !COMMAND_HELP[command])
    throw new UsageError(`unknown command "${positionals.join(' ')}"; see --help`);
  const surveyId = values.survey;
  if (!surveyId) throw new UsageError('--survey is required');
  const waveId = values.wave;
  if (command !== 'list' && !waveId) throw new UsageError('--wave is required');
  for (const [name, value] of [
    ['--opens', values.opens],
    ['--closes', values.closes],
  ] as const) {
    if (value !== undefined && Number.isNaN(Date.parse(value)))
      throw new UsageError(`${name} is not a timestamp: ${value}`);
  }

  return withLocalDb(resolve(values['data-dir']), async ({ db }) => {
    const definition = await getDefinition(db, surveyId);
    const catalog = createCatalog(db, { ttlMs: 0 });
    const now = new Date();
    const wave = waveId ?? '';
    if (command === 'list') print(await listWaves(db, definition, now));
    if (command === 'open') print(await openWave(db, catalog, definition, wave, now));
    if (command === 'close') print(await closeWave(db, catalog, definition, wave, now));
    if (command === 'schedule') {
      if (!values.opens && !values.closes) throw new UsageError('give --opens, --closes or both');
      const window = {
        ...(values.opens ? { opensAt: values.opens } : {}),
        ...(values.closes ? { closesAt: values.closes } : {}),
      };
      print(await scheduleWave(db, catalog, definition, wave, window, now));
    }
    return 0;
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const expected = error instanceof UsageError || error instanceof JavaMissingError || error instanceof ResonanzError;
    if (expected) console.error((error as Error).message);
    else if (String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS'))
      console.error((error as Error).message);
    else console.error(error);
    process.exit(1);
  },
);
