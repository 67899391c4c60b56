import type { ExportDispatcher, ExportStorage } from '../../shared/export/jobs.js';
import type { AdminDeps } from '../admin/deps.js';

export interface ExportDeps extends Omit<AdminDeps, 'publicBaseUrl'> {
  storage: ExportStorage;
  /**
   * Hands a recorded export to the worker that writes it: the local server's background, or (in
   * AWS) an asynchronous invocation of the export function (`worker.ts`).
   */
  dispatch: ExportDispatcher;
}
