import type { AdminDeps } from '../admin/deps.js';
import type { Config } from '../lib/config.js';

/**
 * How a lead's browser gets its bearer token. `token`: paste one (local runs, `npm run token`);
 * `oidc`: the Cognito hosted UI, authorization code flow with PKCE, as a public client (the
 * browser holds no secret); `none`: no identity provider is configured, so the page says so.
 */
export type SignIn =
  | { mode: 'token' }
  | { mode: 'oidc'; authorizeUrl: string; tokenUrl: string; clientId: string }
  | { mode: 'none' };

/** How old the impact snapshot of a collecting wave may be before a read refreshes it. */
export const DEFAULT_IMPACT_MAX_AGE_MS = 60_000;

export interface ReportDeps extends AdminDeps {
  /** Defaults to `none`: without a configured way in, the sign-in page says so. */
  signIn?: SignIn;
  /**
   * How old the impact snapshot of a wave that may still collect can be (default 60 s); 0 reads
   * the cells every time. Settled waves are served from their snapshot however old it is.
   */
  impactMaxAgeMs?: number;
}

/** Lambda: OIDC when the deployment configured it (the config schema allows all or none). */
export function signInFrom(config: Config): SignIn {
  const { OIDC_AUTHORIZE_URL: authorizeUrl, OIDC_TOKEN_URL: tokenUrl, OIDC_CLIENT_ID: clientId } = config;
  return authorizeUrl && tokenUrl && clientId ? { mode: 'oidc', authorizeUrl, tokenUrl, clientId } : { mode: 'none' };
}
