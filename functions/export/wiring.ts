import type { OpenAPIHono } from '@hono/zod-openapi';
import { folderStorage } from '../../local/export-files.js';
import type { AuthEnv, Authenticator } from '../lib/authenticate.js';
import type { Runtime } from '../lib/runtime.js';
import { createExportApp } from './app.js';

/**
 * The export app for local runs: files under `exportDir`, exports written in the background of the
 * local server. (In AWS, files go to S3 and the export runs in its own invocation: issue 6.)
 */
export function exportAppLocal(runtime: Runtime, authenticate: Authenticator, exportDir: string): OpenAPIHono<AuthEnv> {
  return createExportApp({
    db: runtime.db,
    catalog: runtime.catalog,
    logger: runtime.logger,
    now: () => new Date(),
    authenticate,
    storage: folderStorage(exportDir),
  });
}
