import * as z from 'zod/mini';
import '../../shared/zod-locale.js';
import { LOG_LEVELS } from './logger.js';

const OIDC_KEYS = ['OIDC_AUTHORIZE_URL', 'OIDC_TOKEN_URL', 'OIDC_CLIENT_ID'] as const;
const httpsUrl = z.url({
  protocol: /^https?$/,
  error: 'must be an http(s) URL such as https://auth.example.com/oauth2/token',
});

/** A number of seconds from the environment, with one message for every way it can be wrong. */
function wholeSeconds(min: number, max: number) {
  const error = `must be a whole number of seconds from ${min} to ${max}`;
  return z.coerce.number({ error }).check(z.int({ error }), z.gte(min, { error }), z.lte(max, { error }));
}

/**
 * Environment of every function, read once per cold start. Names match what the CDK stack sets
 * (`TABLE_NAME` comes from `bindTable`); `DYNAMODB_ENDPOINT` is only set by local runs. The OIDC
 * variables (Cognito hosted UI, report function only) come all together or not at all: half a
 * sign-in setup would only fail later, in a lead's browser.
 */
export const Config = z
  .object({
    TABLE_NAME: z.string({ error: 'is required (the DynamoDB table of this deployment)' }).check(z.minLength(1)),
    DYNAMODB_ENDPOINT: z.optional(z.url({ error: 'must be a URL such as http://127.0.0.1:8000' })),
    AWS_REGION: z._default(z.string().check(z.minLength(1)), 'eu-central-1'),
    LOG_LEVEL: z._default(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }), 'info'),
    /**
     * Where respondents open the survey links (e.g. https://umfrage.kreis-re.de) when that is not the
     * API's own address; channel links, QR codes and invitation links in admin answers use it.
     */
    PUBLIC_BASE_URL: z.optional(httpsUrl),
    /**
     * How old the impact snapshot of a wave that is still collecting may be before a read refreshes
     * it from the aggregate cells (report function). Settled waves are always served from theirs.
     */
    IMPACT_MAX_AGE_SECONDS: z._default(wholeSeconds(0, 86_400), 60),
    /** The S3 bucket for export files (export function in AWS; local runs write to `.data/exports`). */
    EXPORT_BUCKET: z.optional(
      z.string().check(
        z.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
          error: 'must be an S3 bucket name such as resonanz-exports',
        }),
      ),
    ),
    /** How long an export's download link lives, in seconds (at most 15 minutes). */
    EXPORT_LINK_SECONDS: z._default(wholeSeconds(10, 900), 300),
    /**
     * The function that writes exports, invoked asynchronously per export; by default the export
     * function itself (Lambda sets `AWS_LAMBDA_FUNCTION_NAME`).
     */
    EXPORT_WORKER_FUNCTION: z.optional(z.string().check(z.minLength(1))),
    AWS_LAMBDA_FUNCTION_NAME: z.optional(z.string().check(z.minLength(1))),
    /** Only for local runs and tests against an S3-compatible server (like `DYNAMODB_ENDPOINT`). */
    S3_ENDPOINT: z.optional(z.url({ error: 'must be a URL such as http://127.0.0.1:4569' })),
    OIDC_AUTHORIZE_URL: z.optional(httpsUrl),
    OIDC_TOKEN_URL: z.optional(httpsUrl),
    OIDC_CLIENT_ID: z.optional(z.string().check(z.minLength(1))),
  })
  .check(
    z.superRefine((config, ctx) => {
      const missing = OIDC_KEYS.filter((key) => config[key] === undefined);
      if (missing.length === 0 || missing.length === OIDC_KEYS.length) return;
      for (const key of missing)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `is required when any of ${OIDC_KEYS.join(', ')} is set`,
        });
    }),
  );
export type Config = z.infer<typeof Config>;

export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    options?: ErrorOptions,
  ) {
    super(`invalid configuration: ${problems.join('; ')}`, options);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a `ConfigError` naming every bad variable, so a cold start fails loudly. */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  // Only our keys, and an empty value counts as unset (`FOO= node ...` is a common way to unset).
  const own = Object.fromEntries(Object.keys(Config.shape).map((key) => [key, env[key] || undefined]));
  const parsed = Config.safeParse(own);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`),
    { cause: parsed.error },
  );
}
