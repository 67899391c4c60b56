import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Runtime } from '../lib/runtime.js';
import { createRespondApp } from './app.js';

/** The respondent app as deployed: real clock, shared runtime. Lambda and the local server both use this. */
export function respondApp(runtime: Runtime): OpenAPIHono {
  return createRespondApp({
    db: runtime.db,
    catalog: runtime.catalog,
    logger: runtime.logger,
    now: () => new Date(),
  });
}
