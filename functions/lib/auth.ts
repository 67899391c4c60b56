import { errors, jwtVerify } from 'jose';
import * as z from 'zod';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors.js';
import { Code } from '../../shared/survey/schema.js';

export const Role = z.enum(['admin', 'lead', 'evaluator']);
export type Role = z.infer<typeof Role>;

/** Campaign scope of a token: campaign ids, or `*` for every campaign (admins, the dev token). */
export const ALL_CAMPAIGNS = '*';

/** The claims the app relies on; other registered claims (iat, jti...) may be present and are ignored. */
export const Claims = z.object({
  sub: z.string().min(1),
  roles: z.array(Role).min(1),
  campaigns: z.array(z.union([Code, z.literal(ALL_CAMPAIGNS)])).min(1),
});
export type Claims = z.infer<typeof Claims>;

export interface VerifyOptions {
  issuer: string;
  audience: string;
  /** Clock for exp/nbf checks (tests); defaults to now. */
  currentDate?: Date;
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's "${error.claim}" claim is not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is not valid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is not signed with the expected algorithm';
  return 'the token is not valid';
}

/** The only algorithm a dev-key token may carry: `alg: none`, HS384/512 and RS/ES tokens are refused. */
const TOKEN_ALGORITHMS = ['HS256'];

/**
 * Seconds a token's `exp` and `nbf` may be off the verifier's clock. Dev tokens are minted and checked
 * on the same machine, so a few seconds cover rounding (jose's default would be 0); written here so
 * that nobody widens it without seeing it.
 */
export const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Verifies a bearer token signed with a shared key (the local dev key). The algorithm is pinned to
 * HS256, so `alg: none` or a key-confusion token is rejected; exp is required, nbf/iss/aud checked.
 */
export async function verifyToken(token: string, key: Uint8Array, options: VerifyOptions): Promise<Claims> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: TOKEN_ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      issuer: options.issuer,
      audience: options.audience,
      requiredClaims: ['exp', 'sub'],
      ...(options.currentDate ? { currentDate: options.currentDate } : {}),
    }));
  } catch (error) {
    throw new UnauthorizedError(reasonOf(error), { cause: error });
  }
  const claims = Claims.safeParse(payload);
  if (!claims.success) throw new UnauthorizedError('the token lacks valid roles or campaigns', { cause: claims.error });
  return claims.data;
}

/**
 * The one role check for lead, evaluator and admin routes, in AWS and locally alike. Roles do not
 * imply each other: an admin who should read impact also gets the lead role.
 */
export function requireRole(claims: Claims, role: Role, campaignId: string): Claims {
  const inScope = claims.campaigns.includes(ALL_CAMPAIGNS) || claims.campaigns.includes(campaignId);
  if (!claims.roles.includes(role) || !inScope) throw new ForbiddenError(role, campaignId);
  return claims;
}

/** Like `requireRole`, for routes open to several roles (e.g. fieldwork: lead or admin). */
export function requireAnyRole(claims: Claims, roles: Role[], campaignId: string): Claims {
  for (const role of roles) {
    try {
      return requireRole(claims, role, campaignId);
    } catch {
      // try the next role
    }
  }
  throw new ForbiddenError(roles.join(' or '), campaignId);
}
