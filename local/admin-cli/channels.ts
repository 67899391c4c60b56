import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { channelLink, qrLink, qrPng, qrSvg, shortUrl } from '../../shared/channels/qr.js';
import {
  findSurveyChannel,
  listSurveyChannels,
  registerChannel,
  retireChannel,
} from '../../shared/channels/registry.js';
import type { SurveyChannel } from '../../shared/channels/schema.js';
import { getDefinition } from '../../shared/data/survey-store.js';
import { InvalidChannelError } from '../../shared/errors.js';
import { Audience, Channel } from '../../shared/survey/schema.js';
import { type AdminCommand, type CommandContext, requireString, UsageError } from './command.js';

/** Where `npm start` serves the survey pages; posters for a real site pass `--base-url`. */

function print(context: CommandContext, channels: SurveyChannel[]): number {
  for (const ch of channels) {
    const since = ch.disabledOn ? `disabled ${ch.disabledOn}` : ch.createdOn ? `since ${ch.createdOn}` : '';
    context.print(
      `${ch.code.padEnd(20)} ${ch.kind.padEnd(7)} ${(ch.city ?? '-').padEnd(12)} ${ch.state.padEnd(8)} ${ch.source.padEnd(8)} ${since} ${ch.label.de}`,
    );
  }
  return 0;
}

/** The command line's flat options as a `Channel`; the schema decides what is valid. */
function channelFrom(values: CommandContext['values']): Channel {
  const city = values.city;
  const parsed = Channel.safeParse({
    code: requireString(values, 'code'),
    kind: requireString(values, 'kind'),
    label: { de: requireString(values, 'label-de'), en: requireString(values, 'label-en') },
    ...(typeof city === 'string' ? { city } : {}),
  });
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((i) => `--${i.path.join('-')}: ${i.message}`).join('\n'));
  }
  return parsed.data;
}

const survey = { survey: { type: 'string' } } as const;
const channel = { ...survey, code: { type: 'string' } } as const;

export const channelCommands: AdminCommand[] = [
  {
    area: 'channels',
    name: 'list',
    usage: 'channels list --survey ID',
    help: 'Lists the channels of the survey (file and registry): kind, city, state, source.',
    options: survey,
    required: ['survey'],
    run: async (c) =>
      print(c, await listSurveyChannels(c.db, await getDefinition(c.db, requireString(c.values, 'survey')))),
  },
  {
    area: 'channels',
    name: 'create',
    usage: 'channels create --survey ID --code C --kind K --label-de X --label-en Y [--city C]',
    help: 'Registers channel C (kind poster, social, school, event, mail, press or web; city of the campaign).',
    options: {
      ...channel,
      kind: { type: 'string' },
      'label-de': { type: 'string' },
      'label-en': { type: 'string' },
      city: { type: 'string' },
    },
    required: ['survey', 'code', 'kind', 'label-de', 'label-en'],
    run: async (c) => {
      const input = channelFrom(c.values);
      const definition = await getDefinition(c.db, requireString(c.values, 'survey'));
      const registered = await registerChannel(c.db, definition, input, c.now).catch((error: unknown) => {
        // The generic message only counts the fields; at a terminal, name them.
        if (!(error instanceof InvalidChannelError)) throw error;
        throw new UsageError(error.issues.map((i) => `--${i.field}: ${i.message}`).join('\n'), { cause: error });
      });
      return print(c, [{ ...registered, source: 'registry' }]);
    },
  },
  {
    area: 'channels',
    name: 'disable',
    usage: 'channels disable --survey ID --code C',
    help: 'Disables C: its responses count as "unknown" from now on (posters need no reprint to stop counting).',
    options: channel,
    required: ['survey', 'code'],
    run: async (c) => {
      const definition = await getDefinition(c.db, requireString(c.values, 'survey'));
      const retired = await retireChannel(c.db, definition, requireString(c.values, 'code'), c.now);
      return print(c, [{ ...retired, source: 'registry' }]);
    },
  },
  {
    area: 'channels',
    name: 'qr',
    usage: 'channels qr --survey ID --code C --out DIR [--base-url URL] [--audience A]',
    help:
      'Writes DIR/C.svg and DIR/C.png (A4-poster size) for the public address URL (--base-url, or PUBLIC_BASE_URL ' +
      'as the admin API uses it): the short link for the public (the default audience), the full link for another. ' +
      'Prints both links.',
    options: { ...channel, out: { type: 'string' }, 'base-url': { type: 'string' }, audience: { type: 'string' } },
    required: ['survey', 'code', 'out'],
    run: async (c) => {
      const audience = Audience.safeParse(c.values.audience ?? 'public');
      if (!audience.success) throw new UsageError(`--audience must be one of ${Audience.options.join(', ')}`);
      // The site's public address, as the admin API takes it: never a silent local default on a poster.
      const baseUrl =
        typeof c.values['base-url'] === 'string' ? c.values['base-url'] : process.env.PUBLIC_BASE_URL || undefined;
      if (!baseUrl) {
        throw new UsageError(
          'give the public address of the survey site: --base-url https://… (or set PUBLIC_BASE_URL)',
        );
      }
      const surveyId = requireString(c.values, 'survey');
      const code = requireString(c.values, 'code');
      await findSurveyChannel(c.db, await getDefinition(c.db, surveyId), code);
      let link: string;
      try {
        link = qrLink(baseUrl, surveyId, audience.data, code);
      } catch (error) {
        throw new UsageError(`--base-url: ${(error as Error).message}`, { cause: error });
      }
      const out = requireString(c.values, 'out');
      await mkdir(out, { recursive: true });
      await writeFile(join(out, `${code}.svg`), await qrSvg(link));
      await writeFile(join(out, `${code}.png`), await qrPng(link));
      c.print(`in the code: ${link}`);
      c.print(`link:        ${channelLink(baseUrl, surveyId, audience.data, code)}`);
      c.print(`short:       ${shortUrl(baseUrl, surveyId, code)}`);
      c.print(`wrote: ${join(out, `${code}.svg`)}, ${join(out, `${code}.png`)}`);
      return 0;
    },
  },
];
