/**
 * Which function answers which paths, and which paths need a signed-in caller: the one table both
 * runtimes route by. The CDK stack turns each entry into an HTTP API route (`ANY path`, with the
 * Cognito JWT authorizer where `auth` is `jwt`); the local server turns it into a Hono route.
 *
 * Paths use API Gateway's syntax: `{name}` is one path segment, a final `{proxy+}` one or more, and
 * `$default` whatever no other route matches (API Gateway picks the most specific route; locally the
 * table is walked in order, so more specific paths come first and `$default` last).
 *
 * `public` routes are the respondent's, the API references, and the lead pages: those pages sign in
 * in the browser (Cognito hosted UI) and call the `jwt` routes with the token they got.
 */
export const FUNCTION_NAMES = ['respond', 'admin', 'report', 'export'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export type Route =
  | { fn: FunctionName; path: string; auth: 'jwt' }
  /** `why`: the reason a reviewer reads beside the cdk-nag finding "no authorization" for this route. */
  | { fn: FunctionName; path: string; auth: 'public'; why: string };

const API_REFERENCE = 'an OpenAPI document describing the API; it holds no data';
const PAGES =
  'console and lead pages: static shells that sign in in the browser and call the jwt routes with the token';

export const ROUTES: readonly Route[] = [
  { fn: 'admin', path: '/api/v1/admin/openapi.json', auth: 'public', why: API_REFERENCE },
  { fn: 'admin', path: '/api/v1/admin/{proxy+}', auth: 'jwt' },
  { fn: 'report', path: '/api/v1/surveys/{surveyId}/fieldwork', auth: 'jwt' },
  { fn: 'report', path: '/api/v1/surveys/{surveyId}/impact', auth: 'jwt' },
  { fn: 'report', path: '/api/v1/compare', auth: 'jwt' },
  { fn: 'report', path: '/api/v1/reports/openapi.json', auth: 'public', why: API_REFERENCE },
  { fn: 'report', path: '/api/v1/reports/{proxy+}', auth: 'jwt' },
  // The respondent API's document and reference page: served by the report function to keep
  // @hono/zod-openapi out of the respondent bundle (functions/respond/openapi.ts).
  { fn: 'report', path: '/api/v1/openapi.json', auth: 'public', why: API_REFERENCE },
  {
    fn: 'report',
    path: '/api/v1/docs',
    auth: 'public',
    why: 'a reference page made from the OpenAPI document of the respondent API; it holds no data',
  },
  { fn: 'report', path: '/reports/{proxy+}', auth: 'public', why: PAGES },
  { fn: 'report', path: '/dashboard/{proxy+}', auth: 'public', why: PAGES },
  { fn: 'report', path: '/console', auth: 'public', why: PAGES },
  { fn: 'report', path: '/console/{proxy+}', auth: 'public', why: PAGES },
  { fn: 'export', path: '/api/v1/exports/openapi.json', auth: 'public', why: API_REFERENCE },
  { fn: 'export', path: '/api/v1/surveys/{surveyId}/exports', auth: 'jwt' },
  { fn: 'export', path: '/api/v1/surveys/{surveyId}/exports/{proxy+}', auth: 'jwt' },
  {
    fn: 'respond',
    path: '$default',
    auth: 'public',
    why: 'survey links are answered without an account; personal invitations carry their own single-use token',
  },
];

/** The same path in Hono's syntax: `{name}` -> `:name`, `{proxy+}` -> `*`, `$default` -> `/*`. */
export function honoPath(path: string): string {
  if (path === '$default') return '/*';
  return path.replace(/\{proxy\+\}$/, '*').replace(/\{(\w+)\}/g, ':$1');
}
