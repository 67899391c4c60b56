import { OpenAPIHono } from '@hono/zod-openapi';
import { secureHeaders } from 'hono/secure-headers';
import { type AuthEnv, authenticate } from '../lib/authenticate.js';
import '../lib/openapi-mini.js';
import { limitBody, STAFF_MAX_BODY_BYTES } from '../lib/body-limit.js';
import { noStore } from '../lib/no-store.js';
import { errorProblem, notFoundProblem } from '../lib/problem.js';
import { channelRoutes } from './channels.js';
import { consoleRoutes } from './console.js';
import { DEFINITIONS_PATH, definitionRoutes, SURVEY_FILE_MAX_BYTES } from './definitions.js';
import type { AdminDeps } from './deps.js';
import { exportRecordRoutes } from './exports.js';
import { invitationRoutes } from './invitations.js';
import { quotaRoutes } from './quotas.js';
import { waveRoutes } from './waves.js';

/**
 * The admin app (`/api/v1/admin/...`): every route needs a verified bearer token, and each route
 * checks the admin role for the campaign of the survey it touches. Same app in Lambda and locally.
 */
export function createAdminApp(deps: AdminDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  app.use(secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } }));
  // Survey files are larger than the staff APIs' short requests: their route alone takes more.
  const short = limitBody(STAFF_MAX_BODY_BYTES);
  const file = limitBody(SURVEY_FILE_MAX_BYTES);
  app.use((c, next) => (DEFINITIONS_PATH.test(c.req.path) ? file(c, next) : short(c, next)));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  app.doc31('/api/v1/admin/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Resonanz admin API',
      version: '1.0.0',
      description: 'Survey files, waves, channels, invitations and quotas (role admin).',
    },
  });
  // Everything under the prefix but the document above, as API Gateway's authorizer on
  // `/api/v1/admin/{proxy+}` does: an unknown path is a 401 before it is a 404.
  app.use('/api/v1/admin/*', authenticate(deps.authenticate));
  app.use('/api/v1/admin/*', noStore);
  app.route('/', waveRoutes(deps));
  app.route('/', channelRoutes(deps));
  app.route('/', invitationRoutes(deps));
  app.route('/', quotaRoutes(deps));
  app.route('/', exportRecordRoutes(deps));
  app.route('/', definitionRoutes(deps));
  app.route('/', consoleRoutes(deps));

  app.notFound(notFoundProblem);
  app.onError(errorProblem(deps.logger));
  return app;
}
