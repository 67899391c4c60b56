import type { Context, MiddlewareHandler } from 'hono';
import * as z from 'zod';
import { UnauthorizedError } from '../../shared/errors.js';
import { Claims, Role, verifyToken } from './auth.js';

/** Turns a request into verified claims, or throws UnauthorizedError. */
export type Authenticator = (c: Context) => Promise<Claims>;

export type AuthEnv = { Variables: { claims: Claims } };

function bearer(c: Context): string {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
  if (!match?.[1]) throw new UnauthorizedError('send an Authorization: Bearer <token> header');
  return match[1];
}

/** Local runs and tests: HS256 tokens signed with the dev key (`npm run token`). */
export function devKeyAuthenticator(key: Uint8Array, issuer: string, audience: string): Authenticator {
  return (c) => verifyToken(bearer(c), key, { issuer, audience });
}

/** Verifies the caller before any admin, lead or evaluator route runs; the role check is per route. */
export function authenticate(authenticator: Authenticator): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    c.set('claims', await authenticator(c));
    await next();
  };
}

const GatewayEvent = z.object({
  event: z.object({
    requestContext: z.object({
      authorizer: z.object({ jwt: z.object({ claims: z.record(z.string(), z.unknown()) }) }),
    }),
  }),
});

/** API Gateway passes list claims as arrays, as "[a b]" strings or as "a,b": accept all three. */
function listClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/**
 * AWS: the HTTP API's JWT authorizer has verified the Cognito token (signature, issuer, audience,
 * expiry) before Lambda runs; this reads its claims. Roles are Cognito groups, the campaign scope is
 * the custom attribute `custom:campaigns` (comma-separated ids or `*`). No claims: 401.
 *
 * It never reads the `Authorization` header: in Lambda that header is whatever the caller sent, and
 * only the authorizer's context says it was verified. Decoding it here would let a route that lost
 * its authorizer (a slip in infra/) accept any forged token (test/access/authenticate.test.ts).
 */
export function gatewayAuthenticator(): Authenticator {
  return async (c) => {
    const env = GatewayEvent.safeParse(c.env);
    if (!env.success) throw new UnauthorizedError('the request carries no verified token claims');
    const claims = env.data.event.requestContext.authorizer.jwt.claims;
    const parsed = Claims.safeParse({
      sub: claims.sub,
      roles: listClaim(claims['cognito:groups']).filter((g) => Role.safeParse(g).success),
      campaigns: listClaim(claims['custom:campaigns']),
    });
    if (!parsed.success)
      throw new UnauthorizedError('the token lacks valid roles or campaigns', { cause: parsed.error });
    return parsed.data;
  };
}
