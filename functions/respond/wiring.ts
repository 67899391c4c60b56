import type { Hono } from 'hono';
import type { Runtime } from '../lib/runtime.js';
import { createRespondApp } from './app.js';

/** The respondent app as deployed: real clock, shared runtime. Lambda and the local server both use this. */
export function respondApp(runtime: Runtime): Hono {
  return createRespondApp({
    db: runtime.db,
    catalog: runtime.catalog,
    logger: runtime.logger,
    now: () => new Date(),
  });
}
