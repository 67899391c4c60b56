import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AuthEnv, Authenticator } from '../lib/authenticate.js';
import type { Runtime } from '../lib/runtime.js';
import { createReportApp } from './app.js';
import type { SignIn } from './deps.js';

export function reportApp(
  runtime: Runtime,
  authenticate: Authenticator,
  signIn: SignIn,
  impactMaxAgeMs?: number,
): OpenAPIHono<AuthEnv> {
  return createReportApp({
    impactMaxAgeMs,
    db: runtime.db,
    catalog: runtime.catalog,
    logger: runtime.logger,
    now: () => new Date(),
    authenticate,
    signIn,
  });
}
