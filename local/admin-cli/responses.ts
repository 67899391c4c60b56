import { poolExpiredCells } from '../../shared/data/cell-pooling.js';
import { backfillInvitationExpiry } from '../../shared/data/invitation-retention.js';
import { deleteResponses } from '../../shared/data/response-deletion.js';
import { applyRetention, recordRetention } from '../../shared/data/response-retention.js';
import { getDefinition } from '../../shared/data/survey-store.js';
import { expiresAtFor, retentionMonths, retentionRule } from '../../shared/response/retention.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
import { verifyDefinition } from './aggregates.js';
import { type AdminCommand, type CommandContext, requireString, UsageError } from './command.js';

/** `--wave`, when given, as a wave of the definition. */
function waveOf(definition: SurveyDefinition, values: CommandContext['values']): string | undefined {
  const waveId = typeof values.wave === 'string' ? values.wave : undefined;
  if (waveId !== undefined && !definition.waves.some((w) => w.id === waveId)) {
    throw new UsageError(
      `"${waveId}" is not a wave of ${definition.id} (waves: ${definition.waves.map((w) => w.id).join(', ')})`,
    );
  }
  return waveId;
}

/** Refuses an irreversible command unless `--confirm` repeats the survey id. */
const confirmed = (what: string) => (values: CommandContext['values']) => {
  if (values.confirm !== values.survey) {
    throw new UsageError(`${what} cannot be undone: repeat the survey id as --confirm ${String(values.survey)}`);
  }
};

export const responseCommands: AdminCommand[] = [
  {
    area: 'responses',
    name: 'delete',
    usage: 'responses delete --survey ID [--wave W] --confirm ID',
    help:
      'Deletes the stored responses of the survey (or of wave W) now, before their retention ends: each in one ' +
      'transaction with the subtraction of its counters from its aggregate cell, so the figures keep matching the ' +
      'responses; impact snapshots are dropped, then verify. Prints counts only. Cannot be undone; run again ' +
      'after an interruption (deleted responses are skipped).',
    options: { survey: { type: 'string' }, wave: { type: 'string' }, confirm: { type: 'string' } },
    required: ['survey'],
    check: confirmed('deleting responses'),
    run: async (c) => {
      const surveyId = requireString(c.values, 'survey');
      const definition = await getDefinition(c.db, surveyId);
      const waveId = waveOf(definition, c.values);
      c.print(`deleting the responses of ${surveyId}${waveId ? ` wave ${waveId}` : ''}`);
      const report = await deleteResponses(c.db, definition, waveId === undefined ? {} : { waveId });
      const waves = Object.entries(report.deleted);
      for (const [wave, count] of waves) c.print(`  ${wave}: ${count} deleted`);
      c.print(
        `deleted ${waves.reduce((sum, [, count]) => sum + count, 0)} response(s)` +
          (report.skipped > 0 ? `, ${report.skipped} already gone` : '') +
          `; ${report.emptiedParts} emptied aggregate item(s) removed, ${report.snapshotItems} impact snapshot item(s) dropped`,
      );
      return verifyDefinition(c, definition);
    },
  },
  {
    area: 'retention',
    name: 'apply',
    usage: 'retention apply --survey ID [--invitations]',
    help:
      "Sets every stored response's expiresAt (DynamoDB TTL) by the current definition's rule: for responses stored " +
      "before retention existed, and after a new version changed settings.retention or the waves' closes. Aggregates " +
      'stay. --invitations also gives tokens issued before retention existed theirs (scans the whole table, once).',
    options: { survey: { type: 'string' }, invitations: { type: 'boolean' } },
    required: ['survey'],
    run: async (c) => {
      const definition = await getDefinition(c.db, requireString(c.values, 'survey'));
      const report = await applyRetention(c.db, definition);
      await recordRetention(c.db, definition.id, retentionRule(definition));
      c.print(
        `${definition.id}: expiresAt set on ${report.set} response(s), ${report.unchanged} already right ` +
          `(${retentionMonths(definition)} months, see docs/privacy.md)`,
      );
      if (c.values.invitations === true) {
        const tokens = await backfillInvitationExpiry(c.db, definition.id, (day) => expiresAtFor(definition, day));
        c.print(`${definition.id}: expiresAt set on ${tokens} invitation token(s) that had none`);
      }
      return 0;
    },
  },
  {
    area: 'retention',
    name: 'pool',
    usage: 'retention pool --survey ID [--wave W] [--k N] --confirm ID',
    help:
      'Pools the aggregate cells whose responses are all past their retention and that count fewer than k ' +
      'respondents (settings.minCellSize unless --k) into coarser cells: their dimensions become "not stated", from ' +
      'exposure to city, until k is reached or only the audience is left. Totals stay; figures by those dimensions ' +
      'of past waves move to "not stated". First deletes responses past retention that TTL has not yet. Then verify.',
    options: {
      survey: { type: 'string' },
      wave: { type: 'string' },
      k: { type: 'string' },
      confirm: { type: 'string' },
    },
    required: ['survey'],
    check: (values) => {
      confirmed('pooling cells')(values);
      if (values.k !== undefined && !/^[1-9]\d{0,3}$/.test(String(values.k))) {
        throw new UsageError(`--k must be a whole number from 1 to 9999, not "${String(values.k)}"`);
      }
    },
    run: async (c) => {
      const definition = await getDefinition(c.db, requireString(c.values, 'survey'));
      const waveId = waveOf(definition, c.values);
      const k = typeof c.values.k === 'string' ? Number(c.values.k) : definition.settings.minCellSize;
      const report = await poolExpiredCells(c.db, definition, { now: c.now, k, ...(waveId ? { waveId } : {}) });
      c.print(`${definition.id}: ${report.expiredDeleted} response(s) past retention deleted (TTL had not yet)`);
      for (const [wave, cells] of Object.entries(report.pooled))
        c.print(`  ${wave}: ${cells} cell(s) pooled (k = ${k})`);
      for (const [wave, cells] of Object.entries(report.leftUnderK)) {
        c.print(`  ${wave}: ${cells} cell(s) under k with every dimension "not stated" (a whole audience under k)`);
      }
      if (report.skipped > 0) c.print(`  ${report.skipped} cell(s) changed meanwhile: run again`);
      if (report.tooLarge > 0) {
        c.print(`  ${report.tooLarge} cell(s) spread over more than 100 items, left as they are: use a smaller --k`);
      }
      if (Object.keys(report.pooled).length === 0) c.print('  nothing to pool');
      return verifyDefinition(c, definition);
    },
  },
];
