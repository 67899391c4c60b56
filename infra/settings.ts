import { THROTTLE } from './constructs/api.js';
import type { ResonanzStackProps } from './stack.js';

const STAGE = /^[a-z][a-z0-9-]{0,19}$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/;
const CERTIFICATE = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid context: ${problems.join('; ')}`);
    this.name = 'SettingsError';
  }
}

/**
 * The stack's settings from CDK context: `stage` (default dev), `region` (default eu-central-1),
 * optional `domain` with `certificateArn`, `alarmEmail`, `authDomainPrefix`, `throttleRate` and
 * `throttleBurst` (the API stage's requests per second and burst). Every problem is named
 * at once, before anything is synthesized.
 */
export function stackSettings(context: (key: string) => unknown): ResonanzStackProps & { stage: string } {
  const text = (key: string): string | undefined => {
    const value = context(key);
    return value === undefined || value === null || value === '' ? undefined : String(value).trim();
  };
  const problems: string[] = [];
  const check = (key: string, value: string | undefined, pattern: RegExp, what: string) => {
    if (value !== undefined && !pattern.test(value)) problems.push(`${key} must be ${what} (got "${value}")`);
  };
  const stage = text('stage') ?? 'dev';
  const region = text('region') ?? 'eu-central-1';
  const domain = text('domain')?.toLowerCase();
  const certificateArn = text('certificateArn');
  const alarmEmail = text('alarmEmail');
  const authDomainPrefix = text('authDomainPrefix');
  const mailFrom = text('mailFrom');
  const mailFromName = text('mailFromName');
  const count = (key: string, fallback: number, max: number): number => {
    const value = text(key);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max)
      problems.push(`${key} must be a whole number from 1 to ${max} (got "${value}")`);
    return n;
  };
  // API Gateway's account limit in a region is 10,000 requests/s and a burst of 5,000.
  const rateLimit = count('throttleRate', THROTTLE.rateLimit, 10_000);
  const burstLimit = count('throttleBurst', THROTTLE.burstLimit, 5_000);
  check('stage', stage, STAGE, 'lower-case letters, digits and dashes, starting with a letter, up to 20');
  check('region', region, /^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-central-1');
  check('domain', domain, DOMAIN, 'a host name such as umfrage.kreis-re.de');
  check('certificateArn', certificateArn, CERTIFICATE, 'the ARN of an ACM certificate');
  check('alarmEmail', alarmEmail, EMAIL, 'an e-mail address');
  check('mailFrom', mailFrom, EMAIL, 'an e-mail address verified in Amazon SES');
  if (mailFromName && !mailFrom) problems.push('mailFromName is only used with mailFrom');
  check('authDomainPrefix', authDomainPrefix, PREFIX, 'lower-case letters, digits and dashes');
  if (authDomainPrefix && /aws|amazon|cognito/.test(authDomainPrefix))
    problems.push('authDomainPrefix must not contain aws, amazon or cognito (Cognito refuses it)');
  // An alarm nobody hears is no alarm: a production stage names who is told.
  if (stage.startsWith('prod') && alarmEmail === undefined) {
    problems.push(`stage "${stage}" needs alarmEmail (who is told when an alarm fires)`);
  }
  if (domain && !certificateArn) problems.push('domain needs certificateArn (an ACM certificate for it in the region)');
  if (certificateArn && !domain) problems.push('certificateArn is only used with domain');
  if (problems.length > 0) throw new SettingsError(problems);
  return {
    stage,
    env: { region },
    domain: domain && certificateArn ? { name: domain, certificateArn } : undefined,
    alarmEmail,
    authDomainPrefix,
    throttle: { rateLimit, burstLimit },
    mail: mailFrom ? { from: mailFrom, fromName: mailFromName } : undefined,
  };
}
