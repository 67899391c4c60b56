import { OpenAPIHono } from '@hono/zod-openapi';
import { secureHeaders } from 'hono/secure-headers';
import type { AdminDeps } from '../admin/deps.js';
import { type AuthEnv, authenticate } from '../lib/authenticate.js';
import { errorProblem, notFoundProblem } from '../lib/problem.js';
import { fieldworkRoutes } from './fieldwork.js';

/** Reports for campaign leads (fieldwork now; impact follows): bearer token, role checked per route. */
export function createReportApp(deps: AdminDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  app.use(secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } }));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  app.doc31('/api/v1/reports/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Resonanz report API', version: '1.0.0', description: 'Fieldwork for campaign leads and admins.' },
  });
  app.use('/api/v1/surveys/:surveyId/fieldwork', authenticate(deps.authenticate));
  app.route('/', fieldworkRoutes(deps));
  app.notFound(notFoundProblem);
  app.onError(errorProblem(deps.logger));
  return app;
}
