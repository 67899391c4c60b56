import { backfillInvitationExpiry } from '../../shared/data/invitation-retention.js';
import { deleteResponses } from '../../shared/data/response-deletion.js';
import { applyRetention, recordRetention } from '../../shared/data/response-retention.js';
import { getDefinition } from '../../shared/data/survey-store.js';
import { expiresAtFor, retentionMonths, retentionRule } from '../../shared/response/retention.js';
import { verifyDefinition } from './aggregates.js';
import { type AdminCommand, requireString, UsageError } from './command.js';

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
    check: (values) => {
      if (values.confirm !== values.survey) {
        throw new UsageError(
          `deleting responses cannot be undone: repeat the survey id as --confirm ${String(values.survey)}`,
        );
      }
    },
    run: async (c) => {
      const surveyId = requireString(c.values, 'survey');
      const waveId = typeof c.values.wave === 'string' ? c.values.wave : undefined;
      const definition = await getDefinition(c.db, surveyId);
      if (waveId !== undefined && !definition.waves.some((w) => w.id === waveId)) {
        throw new UsageError(
          `"${waveId}" is not a wave of ${surveyId} (waves: ${definition.waves.map((w) => w.id).join(', ')})`,
        );
      }
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
];
