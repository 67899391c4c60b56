import { addCounters, type Counters, cellKey, contributionOf } from '../../shared/aggregate/contribution.js';
import type { StoredResponse } from '../../shared/response/schema.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';

/** Aggregate cells per wave exactly as the submit transaction builds them, without the database. */
export function cellsByWave(
  definition: SurveyDefinition,
  responses: readonly StoredResponse[],
): Map<string, Map<string, Counters>> {
  const byWave = new Map<string, Map<string, Counters>>();
  for (const r of responses) {
    const cells = byWave.get(r.waveId) ?? new Map<string, Counters>();
    byWave.set(r.waveId, cells);
    const key = cellKey(r.audience, r.dimensions);
    cells.set(key, addCounters(cells.get(key) ?? {}, contributionOf(definition, r)));
  }
  return byWave;
}
