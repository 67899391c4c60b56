import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AuthEnv, Authenticator } from '../lib/authenticate.js';
import type { Runtime } from '../lib/runtime.js';
import { createAdminApp } from './app.js';
import type { AdminDeps } from './deps.js';

/** The admin app as deployed: real clock, shared runtime, the runtime's way of verifying callers. */
export function adminApp(
  runtime: Runtime,
  authenticate: Authenticator,
  publicBaseUrl?: string | undefined,
  applyRetention?: AdminDeps['applyRetention'],
): OpenAPIHono<AuthEnv> {
  return createAdminApp({
    publicBaseUrl,
    applyRetention,
    db: runtime.db,
    catalog: runtime.catalog,
    logger: runtime.logger,
    now: () => new Date(),
    authenticate,
  });
}
