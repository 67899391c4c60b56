import { getDefinition } from '../../shared/data/survey-store.js';
import { closeWave, listWaves, openWave, scheduleWave, type WaveView } from '../../shared/waves/manage.js';
import { type AdminCommand, type CommandContext, requireString, UsageError } from './command.js';

function print(context: CommandContext, waves: WaveView[]): number {
  for (const w of waves) {
    const window = [w.opensAt ? `from ${w.opensAt}` : '', w.closesAt ? `until ${w.closesAt}` : '']
      .filter(Boolean)
      .join(' ');
    context.print(
      `${w.collectingNow ? '*' : ' '} ${w.id.padEnd(16)} ${w.kind.padEnd(9)} ${w.state.padEnd(7)} ${window}`,
    );
  }
  context.print('(* = collecting now)');
  return 0;
}

const survey = { survey: { type: 'string' } } as const;
const wave = { ...survey, wave: { type: 'string' } } as const;

function timestamp(values: CommandContext['values'], name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
    throw new UsageError(`--${name} is not a timestamp`);
  return value;
}

export const waveCommands: AdminCommand[] = [
  {
    area: 'waves',
    name: 'list',
    usage: 'waves list --survey ID',
    help: 'Lists the waves of the survey: state, opens/closes, collecting now.',
    options: survey,
    required: ['survey'],
    run: async (c) =>
      print(c, await listWaves(c.db, await getDefinition(c.db, requireString(c.values, 'survey')), c.now)),
  },
  {
    area: 'waves',
    name: 'open',
    usage: 'waves open --survey ID --wave W',
    help: 'Opens W now (keeping a future close time); every other open wave closes.',
    options: wave,
    required: ['survey', 'wave'],
    run: async (c) => {
      const definition = await getDefinition(c.db, requireString(c.values, 'survey'));
      return print(c, await openWave(c.db, c.catalog, definition, requireString(c.values, 'wave'), c.now));
    },
  },
  {
    area: 'waves',
    name: 'close',
    usage: 'waves close --survey ID --wave W',
    help: 'Closes W: the public links answer "not collecting".',
    options: wave,
    required: ['survey', 'wave'],
    run: async (c) => {
      const definition = await getDefinition(c.db, requireString(c.values, 'survey'));
      return print(c, await closeWave(c.db, c.catalog, definition, requireString(c.values, 'wave'), c.now));
    },
  },
  {
    area: 'waves',
    name: 'schedule',
    usage: 'waves schedule --survey ID --wave W [--opens T] [--closes T]',
    help: 'W collects between the ISO timestamps T (e.g. 2027-03-01T00:00:00+01:00); no overlap with another open wave.',
    options: { ...wave, opens: { type: 'string' }, closes: { type: 'string' } },
    required: ['survey', 'wave'],
    run: async (c) => {
      const opensAt = timestamp(c.values, 'opens');
      const closesAt = timestamp(c.values, 'closes');
      if (!opensAt && !closesAt) throw new UsageError('give --opens, --closes or both');
      const definition = await getDefinition(c.db, requireString(c.values, 'survey'));
      const window = { ...(opensAt ? { opensAt } : {}), ...(closesAt ? { closesAt } : {}) };
      return print(c, await scheduleWave(c.db, c.catalog, definition, requireString(c.values, 'wave'), window, c.now));
    },
  },
];
