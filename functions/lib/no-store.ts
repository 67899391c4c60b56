import type { MiddlewareHandler } from 'hono';

/**
 * Answers to signed-in callers hold campaign data (reports, records, links): no cache may keep
 * them, not a shared one and not the browser's on a shared office computer. A route that sets its
 * own Cache-Control (a file download, an asset) keeps it.
 */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
};
