import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { Code } from '../../shared/survey/primitives.js';

/**
 * The short URL printed under a poster's QR code (`/c/{surveyId}/{code}`) leads to the public
 * audience's survey page with the channel. The redirect is relative, so it never points to another
 * host, and it does not look the channel up: whether the code counts is decided when the response
 * is stored, and a redirect that differs for unknown codes would tell which codes exist.
 */
export function shortLinks(): Hono {
  const app = new Hono();
  app.get('/c/:surveyId/:code', (c) => {
    const surveyId = Code.safeParse(c.req.param('surveyId'));
    const code = Code.safeParse(c.req.param('code'));
    if (!surveyId.success || !code.success) throw new HTTPException(404, { message: 'no such link' });
    return c.redirect(`/s/${surveyId.data}/public?c=${code.data}`, 302);
  });
  return app;
}
