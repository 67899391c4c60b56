import { poolExpiredCells } from '../../shared/data/cell-pooling.js';
import { ensureRetention } from '../../shared/data/response-retention.js';
import { getDefinition, listSurveys } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import type { Logger } from '../lib/logger.js';

export interface RetentionDeps {
  db: Db;
  logger: Logger;
}

export interface RetentionRun {
  /** Surveys whose cells were looked at. */
  surveys: number;
  /** Responses past retention deleted (TTL had not yet), over all surveys. */
  expiredDeleted: number;
  /** Cells pooled, over all surveys and waves. */
  pooled: number;
  /** Surveys that failed (logged by error name; the others ran). */
  failed: number;
}

/** A run in which some survey failed: the invocation fails, so the function's error alarm fires. */
export class RetentionRunFailedError extends Error {
  constructor(readonly run: RetentionRun) {
    super(`retention pooling failed for ${run.failed} of ${run.surveys} survey(s)`);
    this.name = 'RetentionRunFailedError';
  }
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * The scheduled retention run: for every published survey, brings its stored responses to the
 * retention rule of its current version when a publish changed it (`ensureRetention`), then pools the small aggregate cells whose
 * responses are past retention (`shared/data/cell-pooling.ts`), after deleting responses past
 * retention that DynamoDB's TTL has not reached yet. Logs counts per survey, never a cell key, an
 * answer or a response id. A survey that fails is logged and the next one runs; the run then fails.
 */
export async function runRetention(deps: RetentionDeps, now: Date): Promise<RetentionRun> {
  const run: RetentionRun = { surveys: 0, expiredDeleted: 0, pooled: 0, failed: 0 };
  for (const { surveyId } of await listSurveys(deps.db)) {
    run.surveys++;
    try {
      const definition = await getDefinition(deps.db, surveyId);
      // A survey published from the console with a new retention rule: its responses get it now.
      const rule = await ensureRetention(deps.db, definition);
      if (rule.applied) {
        deps.logger.info('retention rule applied', {
          surveyId,
          responsesSet: rule.applied.set,
          responsesUnchanged: rule.applied.unchanged,
        });
      }
      const report = await poolExpiredCells(deps.db, definition, { now });
      const pooled = sum(report.pooled);
      run.expiredDeleted += report.expiredDeleted;
      run.pooled += pooled;
      deps.logger.info('retention pooled', {
        surveyId,
        expiredDeleted: report.expiredDeleted,
        cellsPooled: pooled,
        cellsLeftUnderK: sum(report.leftUnderK),
        cellsChangedMeanwhile: report.skipped,
        cellsTooLarge: report.tooLarge,
      });
    } catch (error) {
      run.failed++;
      deps.logger.error('retention failed', { surveyId, error: error instanceof Error ? error.name : 'unknown' });
    }
  }
  deps.logger.info('retention run', { ...run });
  if (run.failed > 0) throw new RetentionRunFailedError(run);
  return run;
}
