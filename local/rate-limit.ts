import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import { problem, problemResponse } from '../functions/lib/problem.js';

/** Requests one client may make to the public routes per window. */
export interface PublicRateLimit {
  limit: number;
  windowMs: number;
}

/**
 * `npm start`'s limit: 300 requests a minute per client. A respondent's whole questionnaire is a few
 * dozen requests, so only a script hammering the server meets it. In AWS, API Gateway's throttling
 * (infra/constructs/api.ts) protects the functions instead.
 */
export const PUBLIC_RATE_LIMIT: PublicRateLimit = { limit: 300, windowMs: 60_000 };

/**
 * The client's address, for counting only: it lives in the limiter's memory for one window and is
 * never logged or stored. Requests without a connection (tests calling `app.request`) share one key.
 */
function clientKey(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Counts each client's requests in memory and answers 429 problem+json with Retry-After beyond the limit. */
export function publicRateLimiter(options: PublicRateLimit): MiddlewareHandler {
  return rateLimiter({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    keyGenerator: clientKey,
    handler: (c) => {
      const reset = (c.get('rateLimit') as { resetTime?: Date } | undefined)?.resetTime;
      const seconds = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + options.windowMs) - Date.now()) / 1000));
      return problemResponse(c, problem(429, 'rate-limited', 'Too many requests', `Try again in ${seconds} s.`), {
        'Retry-After': String(seconds),
      });
    },
  });
}
