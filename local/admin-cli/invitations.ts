import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as z from 'zod';
import {
  type BatchStats,
  batchStats,
  InvitedAudience,
  listBatches,
  MAX_BATCH_SIZE,
  revoke,
} from '../../shared/data/invitation-store.js';
import { getDefinition } from '../../shared/data/survey-store.js';
import { countRecipients, mergeCsv } from '../../shared/invitations/csv.js';
import { issueInvitations } from '../../shared/invitations/issue.js';
import { type AdminCommand, type CommandContext, requireString, UsageError } from './command.js';

const survey = { survey: { type: 'string' } } as const;

function print(context: CommandContext, batches: BatchStats[]): number {
  context.print(
    `${'batch'.padEnd(14)} ${'audience'.padEnd(10)} created    expires    issued   used revoked expired   open`,
  );
  for (const b of batches) {
    const counts = [b.issued, b.used, b.revoked, b.expired, b.open].map((n, i) => String(n).padStart(i === 2 ? 7 : 6));
    context.print(
      `${b.batchId.padEnd(14)} ${b.audience.padEnd(10)} ${b.createdOn} ${(b.expiresOn ?? '-').padEnd(10)} ${counts.join(' ')}`,
    );
  }
  if (batches.length === 0) context.print('(no invitation batches)');
  return 0;
}

function audienceOf(values: CommandContext['values']): InvitedAudience {
  const parsed = InvitedAudience.safeParse(requireString(values, 'audience'));
  if (!parsed.success) throw new UsageError(`--audience is ${InvitedAudience.options.join(' or ')}`);
  return parsed.data;
}

function countOf(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > MAX_BATCH_SIZE)
    throw new UsageError(`--count is a whole number from 1 to ${MAX_BATCH_SIZE}`);
  return count;
}

function expiresOf(values: CommandContext['values']): string | undefined {
  const value = values.expires;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !z.iso.date().safeParse(value).success)
    throw new UsageError('--expires is a day such as 2027-01-31');
  return value;
}

function baseUrlOf(values: CommandContext['values']): string {
  const value = typeof values['base-url'] === 'string' ? values['base-url'] : '';
  if (!/^https?:\/\//.test(value) || !URL.canParse(value)) throw new UsageError('--base-url is an http(s) URL');
  return value;
}

/** Everything is checked before the batch is issued, so a typo never leaves unused tokens behind. */
async function create(c: CommandContext): Promise<number> {
  const from = c.values.from;
  const countOption = c.values.count;
  if ((typeof from === 'string') === (typeof countOption === 'string'))
    throw new UsageError('give either --count N or --from recipients.csv');
  const recipients = typeof from === 'string' ? await readFile(from, 'utf8') : undefined;
  const count = recipients === undefined ? countOf(String(countOption)) : countRecipients(recipients);
  if (count > MAX_BATCH_SIZE) throw new UsageError(`at most ${MAX_BATCH_SIZE} recipients per batch`);
  const audience = audienceOf(c.values);
  const expiresOn = expiresOf(c.values);
  const baseUrl = baseUrlOf(c.values);
  const out = requireString(c.values, 'out');
  // An older mail-merge CSV is never overwritten (`wx` below guards the race as well).
  if (existsSync(out)) throw new UsageError(`${out} exists; choose another --out file`);

  const definition = await getDefinition(c.db, requireString(c.values, 'survey'));
  const { batchId, links } = await issueInvitations(c.db, definition, baseUrl, {
    audience,
    count,
    ...(expiresOn ? { expiresOn } : {}),
    now: c.now,
    randomBytes,
  });
  await writeFile(out, mergeCsv(recipients, count, links), { flag: 'wx', mode: 0o600 });
  c.print(`batch ${batchId}: ${count} invitations for ${audience}, links written to ${out}`);
  c.print('Delete that file once the letters or mails are sent: it can tell who took part.');
  return 0;
}

export const invitationCommands: AdminCommand[] = [
  {
    area: 'invitations',
    name: 'create',
    usage: 'invitations create --survey ID --audience A (--count N | --from CSV) --out CSV [--expires DAY]',
    help:
      'Issues single-use links for A (business, multiplier) into a mail-merge CSV: the columns of --from plus ' +
      '"link" (recipients are never stored). --base-url URL sets the links\' site (default http://127.0.0.1:3000).',
    options: {
      ...survey,
      audience: { type: 'string' },
      count: { type: 'string' },
      from: { type: 'string' },
      out: { type: 'string' },
      expires: { type: 'string' },
      'base-url': { type: 'string', default: 'http://127.0.0.1:3000' },
    },
    required: ['survey', 'audience', 'out'],
    run: create,
  },
  {
    area: 'invitations',
    name: 'list',
    usage: 'invitations list --survey ID',
    help: 'Lists the invitation batches with issued, used, revoked, expired and open counts.',
    options: survey,
    required: ['survey'],
    run: async (c) => {
      const definition = await getDefinition(c.db, requireString(c.values, 'survey'));
      return print(c, await listBatches(c.db, definition.id, c.now));
    },
  },
  {
    area: 'invitations',
    name: 'revoke',
    usage: 'invitations revoke --survey ID --batch B',
    help: 'Withdraws every unused link of batch B.',
    options: { ...survey, batch: { type: 'string' } },
    required: ['survey', 'batch'],
    run: async (c) => {
      const surveyId = requireString(c.values, 'survey');
      const batchId = requireString(c.values, 'batch');
      await revoke(c.db, surveyId, { batchId });
      return print(c, [await batchStats(c.db, surveyId, batchId, c.now)]);
    },
  },
];
