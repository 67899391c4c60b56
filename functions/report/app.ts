import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { apiReference } from '../lib/api-reference.js';
import { type AuthEnv, authenticate } from '../lib/authenticate.js';
import '../lib/openapi-mini.js';
import { noStore } from '../lib/no-store.js';
import { errorProblem, notFoundProblem } from '../lib/problem.js';
import { respondOpenApiDocument } from '../respond/openapi.js';
import { compareRoutes } from './compare.js';
import { compareConsoleRoutes } from './compare-console.js';
import { consoleHomeRoutes } from './console-home.js';
import type { ReportDeps } from './deps.js';
import { fieldworkRoutes } from './fieldwork.js';
import { impactRoutes } from './impact.js';
import { meRoutes } from './me.js';
import { consolePages, consoleSecureHeaders } from './pages/routes.js';
import { isConsolePage } from './pages/shell.js';

const RESPOND_DOC_PATH = '/api/v1/openapi.json';
const RESPOND_DOCS_PATH = '/api/v1/docs';

/**
 * Reports for campaign leads (fieldwork, impact): bearer token, role checked per route,
 * plus the public lead pages under /reports/ that fetch those routes from the browser.
 */
export function createReportApp(deps: ReportDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  const signIn = deps.signIn ?? { mode: 'none' };
  const apiHeaders = secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } });
  const pageHeaders = consoleSecureHeaders(signIn);
  const docsHeaders = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
  });
  // One policy per kind of path: API answers load nothing, pages load their own script and style,
  // the API reference page only the site's style sheet.
  const headers: MiddlewareHandler = (c, next) => {
    if (c.req.path === RESPOND_DOCS_PATH) return docsHeaders(c, next);
    return (isConsolePage(c.req.path) ? pageHeaders : apiHeaders)(c, next);
  };
  app.use(headers);
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  app.doc31('/api/v1/reports/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Resonanz report API',
      version: '1.0.0',
      description: 'Fieldwork and impact for campaign leads and admins.',
    },
  });
  // The respondent API's document and reference page (kept out of the respondent function's bundle).
  app.get(RESPOND_DOC_PATH, (c) => c.json(respondOpenApiDocument()));
  app.get(RESPOND_DOCS_PATH, apiReference(RESPOND_DOC_PATH, respondOpenApiDocument));
  app.use('/api/v1/surveys/:surveyId/fieldwork', authenticate(deps.authenticate));
  app.use('/api/v1/surveys/:surveyId/impact', authenticate(deps.authenticate));
  app.use('/api/v1/compare', authenticate(deps.authenticate));
  // The whole prefix but its document (registered above), as the authorizer on `/api/v1/reports/{proxy+}`.
  app.use('/api/v1/reports/*', authenticate(deps.authenticate));
  for (const path of [
    '/api/v1/surveys/:surveyId/fieldwork',
    '/api/v1/surveys/:surveyId/impact',
    '/api/v1/compare',
    '/api/v1/reports/*',
  ]) {
    app.use(path, noStore);
  }
  app.route('/', fieldworkRoutes(deps));
  app.route('/', impactRoutes(deps));
  app.route('/', compareRoutes(deps));
  app.route('/', compareConsoleRoutes(deps));
  app.route('/', meRoutes());
  app.route('/', consoleHomeRoutes(deps));
  app.route('/', consolePages(signIn));
  app.notFound(notFoundProblem);
  app.onError(errorProblem(deps.logger));
  return app;
}
