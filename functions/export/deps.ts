import type { ExportStorage, StartedExport } from '../../shared/export/jobs.js';
import type { AdminDeps } from '../admin/deps.js';

export interface ExportDeps extends Omit<AdminDeps, 'publicBaseUrl'> {
  storage: ExportStorage;
  /**
   * Called with each export started; the local server lets it run in the background (tests await
   * `finished`). In AWS the export function is invoked asynchronously instead (issue 6).
   */
  onStarted?: (started: StartedExport) => void;
}
