import { rebuildAggregates } from '../../shared/data/aggregate-rebuild.js';
import { type Drift, verifyAggregates } from '../../shared/data/aggregate-store.js';
import { getDefinition } from '../../shared/data/survey-store.js';
import { type AdminCommand, type CommandContext, requireString } from './command.js';

/** Prints drift (at most 50 lines) and returns the exit code: 0 only for none. */
export function reportDrift(surveyId: string, drift: Drift[], print: (line: string) => void): number {
  if (drift.length === 0) {
    print(`${surveyId}: aggregates match the responses (drift 0)`);
    return 0;
  }
  for (const d of drift.slice(0, 50)) {
    print(`drift ${d.waveId} ${d.cell} ${d.counter}: stored ${d.stored}, recomputed ${d.recomputed}`);
  }
  print(`${surveyId}: ${drift.length} counter(s) drifted`);
  return 1;
}

async function verify(c: CommandContext, surveyId: string): Promise<number> {
  return reportDrift(surveyId, await verifyAggregates(c.db, await getDefinition(c.db, surveyId)), c.print);
}

export const aggregateCommands: AdminCommand[] = [
  {
    area: 'recompute',
    name: '',
    usage: 'recompute --survey ID',
    help:
      'Rebuilds every aggregate cell of the survey from its stored responses (changed cells rewritten, stray ones ' +
      'deleted, missing ones written), then verifies: after an incident or a change of the counters. Safe while ' +
      'a wave collects: a cell that gets a response meanwhile is rebuilt again.',
    options: { survey: { type: 'string' } },
    required: ['survey'],
    run: async (c) => {
      const surveyId = requireString(c.values, 'survey');
      const definition = await getDefinition(c.db, surveyId);
      c.print(`recomputing ${surveyId} from its responses (${definition.settings.aggregateShards} shards per wave)`);
      const report = await rebuildAggregates(c.db, definition);
      for (const change of report.changes.slice(0, 50)) {
        c.print(`  ${change.action.padEnd(9)} ${change.waveId} shard ${change.shard} ${change.cell}`);
      }
      if (report.changes.length > 50) c.print(`  ... and ${report.changes.length - 50} more`);
      c.print(
        `cells (per shard): ${report.rewritten} rewritten, ${report.created} created, ${report.deleted} deleted, ` +
          `${report.unchanged} unchanged` +
          (report.retried > 0 ? `; ${report.retried} rebuilt again after responses arrived meanwhile` : ''),
      );
      return verify(c, surveyId);
    },
  },
  {
    area: 'verify',
    name: '',
    usage: 'verify --survey ID',
    help: 'Compares the aggregate cells with a recomputation from the responses; exit code 1 on any drift.',
    options: { survey: { type: 'string' } },
    required: ['survey'],
    run: (c) => verify(c, requireString(c.values, 'survey')),
  },
];
