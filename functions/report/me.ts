import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { Claims } from '../lib/auth.js';
import type { AuthEnv } from '../lib/authenticate.js';
import { Problem } from '../lib/problem-schema.js';

const route = createRoute({
  method: 'get',
  path: '/api/v1/reports/me',
  tags: ['lead'],
  summary: 'Who the bearer token says the caller is',
  description:
    'The lead pages show "signed in as" with it and check a pasted or freshly issued token before keeping it.',
  security: [{ bearer: [] }],
  responses: {
    200: {
      description: 'The claims the app relies on',
      content: { 'application/json': { schema: Claims.meta({ id: 'Claims' }) } },
    },
    401: { description: 'No valid bearer token', content: { 'application/problem+json': { schema: Problem } } },
  },
});

/** The caller's own claims: subject, roles and campaign scope, nothing else of the token. */
export function meRoutes() {
  const app = new OpenAPIHono<AuthEnv>();
  app.openapi(route, (c) => {
    const { sub, roles, campaigns } = c.var.claims;
    return c.json({ sub, roles, campaigns }, 200, { 'Cache-Control': 'no-store' });
  });
  return app;
}
