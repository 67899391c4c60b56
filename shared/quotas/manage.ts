import { readCells } from '../data/aggregate-store.js';
import type { Catalog } from '../data/catalog.js';
import { deleteQuota, listQuotas, putQuota } from '../data/quota-store.js';
import type { Db } from '../data/table.js';
import { InvalidQuotaError } from '../errors.js';
import { quotaHidden, respondentsGate } from '../fieldwork/report.js';
import type { SurveyDefinition } from '../survey/schema.js';
import { type QuotaProgress, quotaGroupIssues, quotaProgress } from './progress.js';
import type { Quota, QuotaGroup, QuotaSettings } from './schema.js';

/**
 * Every quota of the survey with its progress, and whether the disclosure gate hides its count (as
 * the fieldwork report does); only the waves that have quotas are read.
 */
export async function listQuotaProgress(
  db: Db,
  definition: SurveyDefinition,
): Promise<(QuotaProgress & { hidden: boolean })[]> {
  const quotas = await listQuotas(db, definition.id);
  const waves = [...new Set(quotas.map((q) => q.waveId))];
  const shards = definition.settings.aggregateShards;
  const cells = await Promise.all(waves.map((w) => readCells(db, definition.id, w, shards)));
  const byWave = new Map(waves.map((w, i) => [w, cells[i] ?? new Map()]));
  const gates = new Map(waves.map((w) => [w, respondentsGate(definition, byWave.get(w) ?? new Map())]));
  return quotaProgress(quotas, byWave).map((p) => {
    const gate = gates.get(p.quota.waveId);
    return { ...p, hidden: gate ? quotaHidden(p.quota, gate) : false };
  });
}

/** Sets a group's quota after checking the group against the survey; respondents see it at once here. */
export async function setQuota(
  db: Db,
  catalog: Catalog,
  definition: SurveyDefinition,
  group: QuotaGroup,
  settings: QuotaSettings,
  now: Date,
): Promise<Quota> {
  const issues = quotaGroupIssues(definition, group);
  if (issues.length > 0) throw new InvalidQuotaError(issues);
  const quota = await putQuota(db, definition.id, group, settings, now);
  catalog.clear();
  return quota;
}

export async function removeQuota(db: Db, catalog: Catalog, definition: SurveyDefinition, group: QuotaGroup) {
  await deleteQuota(db, definition.id, group);
  catalog.clear();
}
