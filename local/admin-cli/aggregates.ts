import { rebuildAggregates } from '../../shared/data/aggregate-rebuild.js';
import { type AggregateCheck, checkAggregates } from '../../shared/data/aggregate-store.js';
import { getDefinition } from '../../shared/data/survey-store.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
import { type AdminCommand, type CommandContext, requireString } from './command.js';

/**
 * Prints drift (at most 50 lines) and, apart from it, the responses gone by retention that the
 * cells still count (not drift: aggregates are kept on purpose). Returns the exit code: 0 only
 * for no drift.
 */
export function reportDrift(surveyId: string, check: AggregateCheck, print: (line: string) => void): number {
  for (const e of check.expired) {
    print(
      `retention ${e.waveId}: ${e.responses} response(s) past their retention are no longer stored; ` +
        'the aggregates keep counting them (intended, not drift)',
    );
    if (e.poolable > 0) {
      print(
        `retention ${e.waveId}: ${e.poolable} cell(s) of those responses count fewer than minCellSize respondents; ` +
          `"retention pool --survey ${surveyId} --confirm ${surveyId}" pools them (docs/privacy.md)`,
      );
    }
  }
  const { drift } = check;
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

/** Verifies the survey's aggregates as of the command's `now` and prints the outcome. */
export async function verifyDefinition(c: CommandContext, definition: SurveyDefinition): Promise<number> {
  return reportDrift(definition.id, await checkAggregates(c.db, definition, c.now), c.print);
}

async function verify(c: CommandContext, surveyId: string): Promise<number> {
  return verifyDefinition(c, await getDefinition(c.db, surveyId));
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
      const report = await rebuildAggregates(c.db, definition, { now: c.now });
      for (const change of report.changes.slice(0, 50)) {
        c.print(`  ${change.action.padEnd(9)} ${change.waveId} shard ${change.shard} ${change.cell}`);
      }
      if (report.changes.length > 50) c.print(`  ... and ${report.changes.length - 50} more`);
      c.print(
        `cells (per shard): ${report.rewritten} rewritten, ${report.created} created, ${report.deleted} deleted, ` +
          `${report.unchanged} unchanged` +
          (report.retried > 0 ? `; ${report.retried} rebuilt again after responses arrived meanwhile` : '') +
          (report.kept > 0 ? `; ${report.kept} kept as they are (they count responses past their retention)` : ''),
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
