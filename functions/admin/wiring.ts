import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AuthEnv, Authenticator } from '../lib/authenticate.js';
import type { Runtime } from '../lib/runtime.js';
import { createAdminApp } from './app.js';

/** The admin app as deployed: real clock, shared runtime, the runtime's way of verifying callers. */
export function adminApp(
  runtime: Runtime,
  authenticate: Authenticator,
  publicBaseUrl?: string | undefined,
): OpenAPIHono<AuthEnv> {
  return createAdminApp({
    publicBaseUrl,
    db: runtime.db,
    catalog: runtime.catalog,
    logger: runtime.logger,
    now: () => new Date(),
    authenticate,
  });
}
