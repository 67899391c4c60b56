import type { Context } from 'hono';
import type { Claims } from '../lib/auth.js';
import { requireRole } from '../lib/auth.js';
import { Problem } from '../lib/problem-schema.js';
import type { AdminDeps } from './deps.js';

/** An OpenAPI response entry for a problem+json answer. */
export const problemEntry = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
});

/** The origin survey links in an admin answer start with (no trailing slash). */
export function publicBaseOf(deps: AdminDeps) {
  return (c: Context) => (deps.publicBaseUrl ? new URL(deps.publicBaseUrl).origin : new URL(c.req.url).origin);
}

/** The survey an admin route acts on, after checking the caller is an admin of its campaign. */
export function adminSurveyOf(deps: AdminDeps) {
  return async (claims: Claims, surveyId: string) => {
    const definition = await deps.catalog.definition(surveyId);
    requireRole(claims, 'admin', definition.campaign.id);
    return definition;
  };
}
