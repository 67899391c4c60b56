import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { limitBody } from '../lib/body-limit.js';
import { errorProblem, notFoundProblem } from '../lib/problem.js';
import { surveyApi } from './api.js';
import type { AppDeps } from './deps.js';
import { isPagePath, pageError } from './pages/error-page.js';
import { surveyPages } from './pages.js';
import { shortLinks } from './short-link.js';

/** Largest body a respondent may send: a full questionnaire with long free texts fits many times. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * The respondent app: public survey pages (`/s/...`) and the public JSON API. The same app runs in
 * Lambda (`handler.ts`) and in the local server (`local/server.ts`).
 */
export function createRespondApp(deps: AppDeps): Hono {
  const app = new Hono();

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
      crossOriginResourcePolicy: 'same-origin',
      permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
    }),
  );
  app.use(limitBody(MAX_BODY_BYTES));
  app.post('/api/*', async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/(.+\+)?json\b/i.test(type)) {
      throw new HTTPException(415, { message: 'send the body as application/json' });
    }
    await next();
  });

  app.get('/health', (c) => c.json({ status: 'ok' }));
  // The site's root and the report prefixes lead staff to the console (respondents come by links).
  for (const path of ['/', '/reports', '/reports/', '/dashboard', '/dashboard/', '/console/']) {
    app.get(path, (c) => c.redirect(`/console${c.req.query('lang') === 'en' ? '?lang=en' : ''}`, 302));
  }
  app.route('/', surveyApi(deps));
  app.route('/', surveyPages(deps));
  app.route('/', shortLinks());

  app.notFound(notFoundProblem);
  const jsonError = errorProblem(deps.logger);
  // Respondent pages answer in HTML even for errors raised before routing (body limit).
  app.onError((error, c) => (isPagePath(c.req.path) ? pageError(c, error, deps.logger) : jsonError(error, c)));
  return app;
}
