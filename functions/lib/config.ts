import { z } from 'zod';
import { LOG_LEVELS } from './logger.js';

const OIDC_KEYS = ['OIDC_AUTHORIZE_URL', 'OIDC_TOKEN_URL', 'OIDC_CLIENT_ID'] as const;
const httpsUrl = z.url({
  protocol: /^https?$/,
  error: 'must be an http(s) URL such as https://auth.example.com/oauth2/token',
});

/**
 * Environment of every function, read once per cold start. Names match what the CDK stack sets
 * (`TABLE_NAME` comes from `bindTable`); `DYNAMODB_ENDPOINT` is only set by local runs. The OIDC
 * variables (Cognito hosted UI, report function only) come all together or not at all: half a
 * sign-in setup would only fail later, in a lead's browser.
 */
export const Config = z
  .object({
    TABLE_NAME: z.string({ error: 'is required (the DynamoDB table of this deployment)' }).min(1),
    DYNAMODB_ENDPOINT: z.url({ error: 'must be a URL such as http://127.0.0.1:8000' }).optional(),
    AWS_REGION: z.string().min(1).default('eu-central-1'),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    /**
     * Where respondents open the survey links (e.g. https://umfrage.kreis-re.de) when that is not the
     * API's own address; channel links, QR codes and invitation links in admin answers use it.
     */
    PUBLIC_BASE_URL: httpsUrl.optional(),
    /**
     * How old the impact snapshot of a wave that is still collecting may be before a read refreshes
     * it from the aggregate cells (report function). Settled waves are always served from theirs.
     */
    IMPACT_MAX_AGE_SECONDS: z.coerce
      .number({ error: 'must be a whole number of seconds from 0 to 86400' })
      .int({ error: 'must be a whole number of seconds from 0 to 86400' })
      .min(0, { error: 'must be a whole number of seconds from 0 to 86400' })
      .max(86_400, { error: 'must be a whole number of seconds from 0 to 86400' })
      .default(60),
    OIDC_AUTHORIZE_URL: httpsUrl.optional(),
    OIDC_TOKEN_URL: httpsUrl.optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
  })
  .superRefine((config, ctx) => {
    const missing = OIDC_KEYS.filter((key) => config[key] === undefined);
    if (missing.length === 0 || missing.length === OIDC_KEYS.length) return;
    for (const key of missing)
      ctx.addIssue({ code: 'custom', path: [key], message: `is required when any of ${OIDC_KEYS.join(', ')} is set` });
  });
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
