import type { ExportRecord } from '../../shared/data/export-store.js';
import { type ExportDispatcher, type ExportJob, runExportJob } from '../../shared/export/jobs.js';
import type { ExportDeps } from './deps.js';

export type WorkerDeps = Pick<ExportDeps, 'db' | 'catalog' | 'storage' | 'logger' | 'now'>;

/**
 * Writes one export and logs how it ended (ids and counts, never exported content). Used by the
 * local server's background dispatcher and by the export function's asynchronous invocations.
 */
export async function workExport(deps: WorkerDeps, job: ExportJob, signal?: AbortSignal): Promise<ExportRecord> {
  const record = await runExportJob(deps, job, signal);
  const ids = { surveyId: job.surveyId, exportId: job.exportId };
  if (record.status === 'done') deps.logger.info('export done', { ...ids, rows: record.rows });
  else if (record.status === 'failed') deps.logger.error('export failed', { ...ids, error: record.error });
  else deps.logger.warn('export still running', ids);
  return record;
}

/**
 * The local dispatcher: the export is written in this process's background, right away. `onRun`
 * sees each export's promise (tests await it; it never rejects, and gives undefined only when
 * the export's record could not be read).
 */
export function backgroundDispatcher(
  deps: WorkerDeps,
  onRun?: (job: ExportJob, finished: Promise<ExportRecord | undefined>) => void,
): ExportDispatcher {
  return async (job) => {
    const finished = workExport(deps, job).catch((error: unknown) => {
      // Only reading the record can fail here (the export itself records its failure).
      deps.logger.error('export record unreadable', { ...job, error: error instanceof Error ? error.name : 'unknown' });
      return undefined;
    });
    onRun?.(job, finished);
  };
}
