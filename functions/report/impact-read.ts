import { type ImpactCells, impactCells } from '../../shared/data/impact-snapshot-store.js';
import { populationFor } from '../../shared/data/population-files.js';
import { type ImpactQuery, type ImpactReport, impactReportOf } from '../../shared/impact/report.js';
import { marginsFor, type Population } from '../../shared/stats/population.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
import { DEFAULT_IMPACT_MAX_AGE_MS, type ReportDeps } from './deps.js';

/** A survey's impact report as every lead view reads it (the dashboard, the CSV, the comparison). */
export interface ImpactRead {
  report: ImpactReport;
  read: ImpactCells;
  population: Population | undefined;
  /** When the oldest figure shown was read from the cells. */
  dataAsOf: string;
}

/**
 * Reads the waves' snapshots (the read stays the same size however many responses there are; see
 * shared/data/impact-snapshot-store.ts), logs snapshots it could not store, and computes the report.
 * An audience the population has no margins for keeps weight 1 everywhere, so its figures are the
 * unweighted ones (t tests, no effective n), whatever `weighted` asks.
 */
export async function readImpact(
  deps: ReportDeps,
  definition: SurveyDefinition,
  query: ImpactQuery,
  weighted: boolean,
  now: Date,
): Promise<ImpactRead> {
  const population = await populationFor(definition);
  const read = await impactCells(deps.db, definition, {
    now,
    maxAgeMs: deps.impactMaxAgeMs ?? DEFAULT_IMPACT_MAX_AGE_MS,
    population,
  });
  for (const { waveId, reason } of read.unsaved) {
    deps.logger.warn('impact snapshot not stored', { surveyId: definition.id, waveId, reason });
  }
  const rakes = population !== undefined && marginsFor(population, query.audience).length > 0;
  const report = impactReportOf(definition, read.indexes, query, weighted && rakes, read.settled, read.withoutAnswers);
  return { report, read, population, dataAsOf: [...read.asOf.values()].sort()[0] ?? now.toISOString() };
}
