import type { Hono } from 'hono';
import type { RetryPolicy } from '../../shared/data/response-store.js';
import type { Runtime } from '../lib/runtime.js';
import { createRespondApp } from './app.js';

/**
 * The respondent app as deployed: real clock, shared runtime. Lambda and the local server both use
 * this. `retry` is how a busy write is retried before the client is told 503 (the store's default
 * without it); tests of the local server pass a short one.
 */
export function respondApp(runtime: Runtime, retry?: RetryPolicy): Hono {
  return createRespondApp({
    db: runtime.db,
    catalog: runtime.catalog,
    logger: runtime.logger,
    now: () => new Date(),
    retry,
  });
}
