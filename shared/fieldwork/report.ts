import { type Counters, parseCellKey } from '../aggregate/contribution.js';
import { type QuotaProgress, quotaProgress } from '../quotas/progress.js';
import type { Quota, QuotaMode } from '../quotas/schema.js';
import type { Audience, SurveyDefinition } from '../survey/schema.js';

/** A count as a lead sees it: the number, or "< k" when it is below the minimum cell size. */
export type ShownCount = number | `< ${number}`;

export interface FieldworkRow {
  audience: string;
  city: string;
  channel: string;
  responses: ShownCount;
}

export interface FieldworkWave {
  waveId: string;
  responses: ShownCount;
  rows: FieldworkRow[];
  byDay: { day: string; responses: ShownCount }[];
}

export interface FieldworkQuota {
  id: string;
  waveId: string;
  audience: Audience;
  city?: string;
  target: number;
  whenMet: QuotaMode;
  responses: ShownCount;
  met: boolean;
}

export interface FieldworkReport {
  surveyId: string;
  minCellSize: number;
  waves: FieldworkWave[];
  quotas: FieldworkQuota[];
}

/** A quota's progress as leads and admins see it: its group, target and mode, the count as `shown`. */
export function quotaRow({ id, quota, responses, met }: QuotaProgress, k: number): FieldworkQuota {
  return {
    id,
    waveId: quota.waveId,
    audience: quota.audience,
    ...(quota.city ? { city: quota.city } : {}),
    target: quota.target,
    whenMet: quota.whenMet,
    responses: shown(responses, k),
    met,
  };
}

/** Counts from 1 to k-1 are hidden; 0 stays 0 (no response reveals nothing about a respondent). */
export function shown(count: number, k: number): ShownCount {
  return count > 0 && count < k ? `< ${k}` : count;
}

function add(map: Map<string, number>, key: string, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/**
 * Fieldwork from aggregate cells only (never raw responses): responses per wave x audience x city x
 * channel and per day, each count below the survey's minimum cell size shown as "< k".
 */
export function fieldworkReport(
  definition: SurveyDefinition,
  cellsByWave: Map<string, Map<string, Counters>>,
  quotas: Quota[] = [],
): FieldworkReport {
  const k = definition.settings.minCellSize;
  const waves = definition.waves.map((wave) => {
    const cells = cellsByWave.get(wave.id) ?? new Map<string, Counters>();
    const rows = new Map<string, number>();
    const days = new Map<string, number>();
    let total = 0;
    for (const [key, counters] of cells) {
      const { audience, dimensions } = parseCellKey(key);
      total += counters.n ?? 0;
      for (const [name, value] of Object.entries(counters)) {
        if (name.startsWith('@channel#')) add(rows, [audience, dimensions.city, name.slice(9)].join('|'), value);
        if (name.startsWith('@day#')) add(days, name.slice(5), value);
      }
    }
    return {
      waveId: wave.id,
      responses: shown(total, k),
      rows: [...rows.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, count]) => {
          const [audience = '', city = '', channel = ''] = key.split('|');
          return { audience, city, channel, responses: shown(count, k) };
        }),
      byDay: [...days.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([day, count]) => ({ day, responses: shown(count, k) })),
    };
  });
  const quotaRows = quotaProgress(quotas, cellsByWave).map((p) => quotaRow(p, k));
  return { surveyId: definition.id, minCellSize: k, waves, quotas: quotaRows };
}
