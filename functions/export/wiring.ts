import type { OpenAPIHono } from '@hono/zod-openapi';
import { folderStorage } from '../../local/export-files.js';
import type { AuthEnv, Authenticator } from '../lib/authenticate.js';
import type { Runtime } from '../lib/runtime.js';
import { createExportApp } from './app.js';
import { backgroundDispatcher } from './worker.js';

/**
 * The export app for local runs: files under `exportDir`, exports written in the background of the
 * local server. (In AWS, `handler.ts`: files go to S3 and each export runs in an invocation of its own.)
 */
export function exportAppLocal(runtime: Runtime, authenticate: Authenticator, exportDir: string): OpenAPIHono<AuthEnv> {
  const deps = {
    db: runtime.db,
    catalog: runtime.catalog,
    logger: runtime.logger,
    now: () => new Date(),
    storage: folderStorage(exportDir),
  };
  return createExportApp({ ...deps, authenticate, dispatch: backgroundDispatcher(deps) });
}
