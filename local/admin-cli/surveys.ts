import { CATALOG_TTL_MS } from '../../shared/data/catalog.js';
import { getDefinition, listSurveys } from '../../shared/data/survey-store.js';
import { listWaves } from '../../shared/waves/manage.js';
import { expandPaths, validSurveyFiles } from '../load-surveys.js';
import { publishSurvey } from '../publish.js';
import { type AdminCommand, type CommandContext, UsageError } from './command.js';

/** The survey files named (folders expanded), all valid, or a `file:line: path: reason` line per problem. */
async function validFiles(paths: string[]) {
  const files = await expandPaths(paths).catch((error: Error) => {
    throw new UsageError(error.message);
  });
  if (files.length === 0) throw new UsageError(`no survey files (.yaml, .yml, .json) in ${paths.join(', ')}`);
  return validSurveyFiles(files);
}

async function publish(c: CommandContext): Promise<number> {
  // Checked again as the files are now: `check` only made a broken file fail before the database opened.
  const valid = await validFiles(c.positionals);
  const makeCurrent = c.values['make-current'] === true;
  for (const { file, definition } of valid) {
    // Function instances keep a definition for CATALOG_TTL_MS; a changed rule waits them out first.
    const { outcome, retention } = await publishSurvey(c.db, definition, {
      makeCurrent,
      settleMs: CATALOG_TTL_MS + 1_000,
    });
    if (outcome === 'not-current') {
      const current = await getDefinition(c.db, definition.id);
      c.print(
        `not made current: ${definition.id} v${definition.version} from ${file} was published before, and ` +
          `v${current.version} is current; respondents keep getting v${current.version} (--make-current goes back)`,
      );
      continue;
    }
    c.print(`${PUBLISHED[outcome]}: ${definition.id} v${definition.version} from ${file}`);
    const stored = retention?.applied ? retention.applied.set + retention.applied.unchanged : 0;
    if (retention?.applied && (retention.before || stored > 0)) {
      c.print(
        `  retention: stored responses now kept ${retention.rule}` +
          (retention.before ? ` (was ${retention.before})` : '') +
          `: expiresAt set on ${retention.applied.set}, ${retention.applied.unchanged} already right`,
      );
    }
  }
  return 0;
}

const PUBLISHED = { published: 'published', unchanged: 'unchanged (already published)' } as const;

async function list(c: CommandContext): Promise<number> {
  const surveys = await listSurveys(c.db);
  if (surveys.length === 0) c.print('(no survey published)');
  for (const survey of surveys) {
    const definition = await getDefinition(c.db, survey.surveyId);
    const waves = await listWaves(c.db, definition, c.now);
    c.print(`${survey.surveyId} v${survey.currentVersion}  campaign ${survey.campaignId}  "${definition.title.de}"`);
    c.print(`  waves: ${waves.map((w) => `${w.collectingNow ? '*' : ''}${w.id} ${w.state}`).join(', ')}`);
  }
  if (surveys.length > 0) c.print('(* = collecting now)');
  return 0;
}

export const surveyCommands: AdminCommand[] = [
  {
    area: 'surveys',
    name: 'publish',
    usage: 'surveys publish PATH... [--make-current]',
    positionals: 'PATH...',
    help:
      'Checks the survey files (or folders of them) as "npm run surveys:validate" does, then publishes each: ' +
      'the same content again changes nothing, changed content needs a new "version". A version published ' +
      'before does not become current again unless --make-current (a rollback). When the retention rule ' +
      "(settings.retention, the waves' closes) changed, stored responses get the new expiresAt.",
    options: { 'make-current': { type: 'boolean' } },
    required: [],
    check: async (_values, paths) => {
      if (paths.length === 0) throw new UsageError('give the survey files or folders to publish; see --help');
      // Every file (population files included) is valid before anything opens, let alone is written.
      await validFiles(paths);
    },
    run: publish,
  },
  {
    area: 'surveys',
    name: 'list',
    usage: 'surveys list',
    help: 'Lists every published survey: id, current version, campaign, title, its waves and their state.',
    options: {},
    required: [],
    run: list,
  },
];
