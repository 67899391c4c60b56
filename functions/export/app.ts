import { OpenAPIHono } from '@hono/zod-openapi';
import { secureHeaders } from 'hono/secure-headers';
import { type AuthEnv, authenticate } from '../lib/authenticate.js';
import '../lib/openapi-mini.js';
import { limitBody, STAFF_MAX_BODY_BYTES } from '../lib/body-limit.js';
import { noStore } from '../lib/no-store.js';
import { errorProblem, notFoundProblem } from '../lib/problem.js';
import { exportConsoleRoutes } from './console.js';
import type { ExportDeps } from './deps.js';
import { exportRoutes } from './routes.js';

/** Anonymised microdata exports for evaluators: start, poll, download. Every route needs a bearer token. */
export function createExportApp(deps: ExportDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  app.use(secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } }));
  // The settings are a few short fields: anything near this size is not a request to start an export.
  app.use(limitBody(STAFF_MAX_BODY_BYTES));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  app.doc31('/api/v1/exports/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Resonanz export API', version: '1.0.0', description: 'Anonymised microdata for evaluators.' },
  });
  app.use('/api/v1/surveys/:surveyId/exports', authenticate(deps.authenticate));
  app.use('/api/v1/surveys/:surveyId/exports/*', authenticate(deps.authenticate));
  app.use('/api/v1/surveys/:surveyId/exports', noStore);
  app.use('/api/v1/surveys/:surveyId/exports/*', noStore);
  // Before the routes with an export id: `console` is not one.
  app.route('/', exportConsoleRoutes(deps));
  app.route('/', exportRoutes(deps));
  app.notFound(notFoundProblem);
  app.onError(errorProblem(deps.logger));
  return app;
}
