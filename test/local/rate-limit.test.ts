import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalApp, type LocalServer, serveLocal } from '../../local/server.js';
import { localRuntime } from '../setup/local-runtime.js';
import { freshTable } from '../setup/table.js';

describe('rate limit on the local public routes', () => {
  let server: LocalServer;

  beforeAll(async () => {
    const runtime = localRuntime(await freshTable());
    const app = createLocalApp(runtime, {
      devKey: new Uint8Array(randomBytes(32)),
      publicRateLimit: { limit: 5, windowMs: 1_500 },
    });
    // Over a real connection: the limiter counts per client address, which only a socket has.
    server = await serveLocal(app, { port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await server?.close();
  });

  const get = (path: string) => fetch(`${server.url}${path}`);

  it('answers 429 problem+json with Retry-After once a client is over its limit, and again after the window', async () => {
    // Prepare: five requests of the budget, on two different public routes.
    for (const path of [
      '/api/v1/openapi.json',
      '/api/v1/openapi.json',
      '/api/v1/docs',
      '/api/v1/docs',
      '/api/v1/docs',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      await res.arrayBuffer();
    }

    // Act
    const limited = await get('/api/v1/openapi.json');

    // Assess
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    expect(await limited.json()).toMatchObject({ status: 429, title: 'Too many requests' });
    // Staff routes are not counted against the public budget: an unsigned call is refused for its token.
    expect((await get('/api/v1/admin/surveys/mini/waves')).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect((await get('/api/v1/openapi.json')).status).toBe(200);
  });
});
