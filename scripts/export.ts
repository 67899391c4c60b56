import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runCli, UsageError } from '../local/admin-cli/command.js';
import { JavaMissingError } from '../local/dynamodb-local.js';
import { outputFolder } from '../local/export-files.js';
import { progressReporter } from '../local/export-progress.js';
import { TARGET_OPTIONS, targetHelp, withTargetDb } from '../local/target-db.js';
import { surveyChannels } from '../shared/channels/resolve.js';
import { listChannels } from '../shared/data/channel-store.js';
import { getDefinition } from '../shared/data/survey-store.js';
import { ResonanzError } from '../shared/errors.js';
import { recordExport, writeExport } from '../shared/export/jobs.js';
import { exportProfile } from '../shared/export/profile.js';
import type { DataFormat } from '../shared/export/writers.js';

// Local runs only (Lambda runs Node 24). Documented switch: https://github.com/aws/aws-sdk-js-v3/issues/7983
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const HELP = `Export a survey's responses, anonymised, with codebook, disclosure report, SPSS syntax and R script.

Usage: npm run export -- --survey S --out DIR [options]

  --survey S          survey id (required)
  --out DIR           folder to write into (required; created if missing)
  --format F          csv (default; RFC 4180, read by the scripts), csv-excel (BOM, semicolons), jsonl
  --k N               k-anonymity over the quasi-identifiers; default and least: the survey's
                      settings.export.k, else 5 (a lower k is refused)
  --period P          week (ISO week of the answer) or wave (no date beyond the wave);
                      default: the survey's settings.export.period, else week (week is
                      refused where the survey says wave)
  --free-text F       exclude or scrub: export free-text answers with e-mail addresses, phone
                      numbers, URLs, IBANs, postcodes and street addresses replaced;
                      default: the survey's settings.export.freeText, else exclude
  --lang L            labels in the scripts: de (default) or en
${targetHelp(22).join('\n')}
  -h, --help          this help

Shows a progress bar on a terminal, plain lines otherwise.
Without --table: uses the running "npm start" when there is one, otherwise starts DynamoDB Local on the folder.
With --table: AWS credentials from the usual places (environment, profile, SSO); nothing local starts.`;

const FORMATS: DataFormat[] = ['csv', 'csv-excel', 'jsonl'];

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      survey: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      k: { type: 'string' },
      period: { type: 'string' },
      lang: { type: 'string', default: 'de' },
      'free-text': { type: 'string' },
      ...TARGET_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.survey) throw new UsageError('--survey is required; see --help');
  if (!values.out) throw new UsageError('--out is required; see --help');
  const format = values.format as DataFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const k = values.k === undefined ? undefined : Number(values.k);
  if (k !== undefined && (!Number.isInteger(k) || k < 2 || k > 100)) {
    throw new UsageError('--k must be a whole number from 2 to 100');
  }
  const { period } = values;
  if (period !== undefined && period !== 'week' && period !== 'wave')
    throw new UsageError('--period must be week or wave');
  if (values.lang !== 'de' && values.lang !== 'en') throw new UsageError('--lang must be de or en');
  const freeText = values['free-text'];
  if (freeText !== undefined && freeText !== 'exclude' && freeText !== 'scrub') {
    throw new UsageError('--free-text must be exclude or scrub');
  }
  const { survey, out, lang } = values;

  return withTargetDb(values, async ({ db, source }) => {
    const definition = await getDefinition(db, survey);
    const registered = await listChannels(db, survey);
    const progress = progressReporter(Boolean(process.stderr.isTTY), (line) => console.error(line));
    // Refused before anything is recorded when it asks for less than the survey file sets.
    const { base: _base, ...chosen } = exportProfile(definition, { k, period, freeText });
    // Recorded like an API export (admins list them), by the local user.
    const record = await recordExport(db, {
      surveyId: survey,
      settings: { format, profile: { ...chosen, lang } },
      requestedBy: `cli:${localUser()}`,
      now: () => new Date(),
    });
    try {
      const done = await writeExport(db, outputFolder(resolve(out)), {
        record,
        request: { definition, channels: surveyChannels(definition, registered), now: new Date() },
        now: () => new Date(),
        onProgress: (p) => progress.update(p),
      });
      progress.stop(); // before the summary lines, so they do not land on the bar
      if (done.status !== 'done') {
        console.error(`export ${record.exportId} failed: ${done.error ?? 'unknown error'}`);
        return 1;
      }
      console.log(`exported ${done.rows} responses of ${survey} from ${source} to ${resolve(out)}:`);
      for (const file of done.files ?? []) console.log(`  ${file}`);
      console.log(
        `k = ${record.profile.k}: ${done.suppressedValues} quasi-identifier values suppressed, ${done.droppedRows ?? 0} rows left out, smallest group ${done.smallestGroup ?? '-'} (see disclosure.md)`,
      );
      for (const wave of done.waves ?? []) {
        if (wave.status !== 'released') console.log(`  wave ${wave.waveId} not released: ${wave.status}`);
      }
      console.log(`recorded as export ${record.exportId} by ${record.requestedBy}`);
      return 0;
    } finally {
      progress.stop();
    }
  });
}

/** Who runs the command, for the export record (the OS user; "unknown" where there is none). */
function localUser(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

runCli(main, (error) => error instanceof JavaMissingError || error instanceof ResonanzError);
