import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { adminApp } from '../functions/admin/wiring.js';
import { exportAppLocal } from '../functions/export/wiring.js';
import { devKeyAuthenticator } from '../functions/lib/authenticate.js';
import type { Runtime } from '../functions/lib/runtime.js';
import { reportApp } from '../functions/report/wiring.js';
import { respondApp } from '../functions/respond/wiring.js';
import { FUNCTION_NAMES, type FunctionName, honoPath, ROUTES } from '../functions/routes.js';
import { ensureRetention } from '../shared/data/response-retention.js';
import type { RetryPolicy } from '../shared/data/response-store.js';
import { DEV_AUDIENCE, DEV_ISSUER } from './dev-token.js';
import { type PublicRateLimit, publicRateLimiter } from './rate-limit.js';

/** Anything with a fetch handler: each function's Hono app. */
interface FetchApp {
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
}

/**
 * What only local runs have: the dev key that signs `npm run token` tokens, and settings that the
 * Lambda functions read from their configuration.
 */
export interface LocalAuth {
  devKey: Uint8Array;
  /** IMPACT_MAX_AGE_SECONDS in milliseconds (see functions/lib/config.ts). */
  impactMaxAgeMs?: number;
  /** Where exports are written (`.data/exports` for `npm start`); without it the export routes answer 404. */
  exportDir?: string;
  /** Per-client limit on the public routes (`npm start` sets `PUBLIC_RATE_LIMIT`); none without it. */
  publicRateLimit?: PublicRateLimit;
  /** How the respondent app retries a busy write before answering 503; the deployed default without it. */
  writeRetry?: RetryPolicy;
  /** The survey site's public address for links and QR codes (`PUBLIC_BASE_URL`); the request's origin without it. */
  publicBaseUrl?: string;
}

/** Builds each function's app as the local server runs it; `functions/routes.ts` says which paths go where. */
export const FUNCTIONS: Record<FunctionName, (runtime: Runtime, auth: LocalAuth) => FetchApp> = {
  // Locally the admin app may write responses, so a publish brings them to a changed retention rule at once.
  admin: (runtime, auth) =>
    adminApp(
      runtime,
      devKeyAuthenticator(auth.devKey, DEV_ISSUER, DEV_AUDIENCE),
      auth.publicBaseUrl,
      async (definition) => {
        await ensureRetention(runtime.db, definition);
      },
    ),
  // Local runs have no identity provider: leads paste a dev token (or follow the banner's link).
  report: (runtime, auth) =>
    reportApp(
      runtime,
      devKeyAuthenticator(auth.devKey, DEV_ISSUER, DEV_AUDIENCE),
      { mode: 'token' },
      auth.impactMaxAgeMs,
    ),
  export: (runtime, auth) =>
    auth.exportDir
      ? exportAppLocal(runtime, devKeyAuthenticator(auth.devKey, DEV_ISSUER, DEV_AUDIENCE), auth.exportDir)
      : { fetch: () => new Response(null, { status: 404 }) },
  respond: (runtime, auth) => respondApp(runtime, auth.writeRetry),
};

/**
 * One app that hands each request to the function owning its path. Each function app gets the
 * untouched request and keeps its own middleware, 404 and error handling, exactly as in Lambda
 * (mounting them with `app.route` would instead share middleware across functions).
 */
export function createLocalApp(runtime: Runtime, auth: LocalAuth): Hono {
  const app = new Hono();
  const apps = new Map(FUNCTION_NAMES.map((name) => [name, FUNCTIONS[name](runtime, auth)]));
  // One budget per client across every public route, as API Gateway's throttling covers them in AWS.
  const limit = auth.publicRateLimit && publicRateLimiter(auth.publicRateLimit);
  for (const route of ROUTES) {
    const target = apps.get(route.fn);
    if (!target) continue;
    const forward = (c: Context) => target.fetch(c.req.raw, c.env);
    if (limit && route.auth === 'public') app.all(honoPath(route.path), limit, forward);
    else app.all(honoPath(route.path), forward);
  }
  return app;
}

export interface LocalServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves the app with `@hono/node-server`; port 0 picks a free one. */
export function serveLocal(app: Hono, options: { port: number; host: string }): Promise<LocalServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, (info: AddressInfo) => {
      // Listening on every interface: link to loopback, which always works on this machine.
      const address = info.address === '0.0.0.0' || info.address === '::' ? '127.0.0.1' : info.address;
      const host = address.includes(':') ? `[${address}]` : address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            // Keep-alive connections would hold close() open; nothing is streaming, so cut them.
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}
