import { getDefinition } from '../../shared/data/survey-store.js';
import { InvalidQuotaError } from '../../shared/errors.js';
import { listQuotaProgress, removeQuota, setQuota } from '../../shared/quotas/manage.js';
import { QuotaGroup, QuotaSettings, quotaIdOf } from '../../shared/quotas/schema.js';
import { type AdminCommand, type CommandContext, requireString, UsageError } from './command.js';

/** Command-line names of the fields the schemas and checks report. */
const FLAGS: Record<string, string> = { waveId: 'wave', whenMet: 'when-met' };

function usageFrom(issues: { field: string; message: string }[]): UsageError {
  return new UsageError(issues.map((i) => `--${FLAGS[i.field] ?? i.field}: ${i.message}`).join('\n'));
}

const fieldIssues = (issues: { path: PropertyKey[]; message: string }[]) =>
  issues.map((i) => ({ field: i.path.map(String).join('-'), message: i.message }));

/** The group named by --wave, --audience and optionally --city. */
function groupFrom(values: CommandContext['values']): QuotaGroup {
  const city = values.city;
  const parsed = QuotaGroup.safeParse({
    waveId: requireString(values, 'wave'),
    audience: requireString(values, 'audience'),
    ...(typeof city === 'string' ? { city } : {}),
  });
  if (!parsed.success) throw usageFrom(fieldIssues(parsed.error.issues));
  return parsed.data;
}

/** --target and --when-met as quota settings. */
function settingsFrom(values: CommandContext['values']): QuotaSettings {
  const target = requireString(values, 'target');
  const whenMet = values['when-met'];
  const settings = QuotaSettings.safeParse({
    target: /^\d+$/.test(target) ? Number(target) : target,
    ...(typeof whenMet === 'string' ? { whenMet } : {}),
  });
  if (!settings.success) throw usageFrom(fieldIssues(settings.error.issues));
  return settings.data;
}

async function printList(c: CommandContext, surveyId: string): Promise<number> {
  const definition = await getDefinition(c.db, surveyId);
  const progress = await listQuotaProgress(c.db, definition);
  if (progress.length === 0) c.print('(no quotas: every group collects without a target)');
  for (const p of progress) {
    const count = p.hidden ? '–' : String(p.responses);
    c.print(
      `${p.id.padEnd(36)} ${`${count} / ${p.quota.target}`.padEnd(14)} ${p.quota.whenMet.padEnd(5)} ${p.hidden ? '' : p.met ? 'met' : ''}`,
    );
  }
  return 0;
}

const group = {
  survey: { type: 'string' },
  wave: { type: 'string' },
  audience: { type: 'string' },
  city: { type: 'string' },
} as const;

export const quotaCommands: AdminCommand[] = [
  {
    area: 'quotas',
    name: 'list',
    usage: 'quotas list --survey ID',
    help: 'Lists the quotas with responses so far and whether they are met ("–" where the disclosure gate hides the count).',
    options: { survey: { type: 'string' } },
    required: ['survey'],
    run: (c) => printList(c, requireString(c.values, 'survey')),
  },
  {
    area: 'quotas',
    name: 'set',
    usage: 'quotas set --survey ID --wave W --audience A [--city C] --target N [--when-met close|keep]',
    help: 'Sets the quota of wave W x audience A (x city C). close (default): once met, public links thank newcomers of the group and store nothing; keep: collect on.',
    options: { ...group, target: { type: 'string' }, 'when-met': { type: 'string' } },
    required: ['survey', 'wave', 'audience', 'target'],
    check: (values) => void settingsFrom(values),
    run: async (c) => {
      const settings = settingsFrom(c.values);
      const surveyId = requireString(c.values, 'survey');
      const definition = await getDefinition(c.db, surveyId);
      const quotaGroup = groupFrom(c.values);
      try {
        await setQuota(c.db, c.catalog, definition, quotaGroup, settings, c.now);
      } catch (error) {
        if (error instanceof InvalidQuotaError) {
          throw usageFrom(error.issues);
        }
        throw error;
      }
      c.print(`set ${quotaIdOf(quotaGroup)}`);
      return printList(c, surveyId);
    },
  },
  {
    area: 'quotas',
    name: 'remove',
    usage: 'quotas remove --survey ID --wave W --audience A [--city C]',
    help: 'Removes the quota of the group: it collects without a target again.',
    options: group,
    required: ['survey', 'wave', 'audience'],
    run: async (c) => {
      const surveyId = requireString(c.values, 'survey');
      const quotaGroup = groupFrom(c.values);
      await removeQuota(c.db, c.catalog, await getDefinition(c.db, surveyId), quotaGroup);
      c.print(`removed ${quotaIdOf(quotaGroup)}`);
      return printList(c, surveyId);
    },
  },
];
