import { describe, expect, it } from 'vitest';
import { SettingsError, stackSettings } from '../../infra/settings.js';

const from = (context: Record<string, unknown>) => stackSettings((key) => context[key]);
const problemsOf = (context: Record<string, unknown>): string[] => {
  try {
    from(context);
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  return [];
};

describe('stack settings from CDK context', () => {
  it('defaults to a dev stage in eu-central-1 without domain or alarm e-mail', () => {
    expect(from({})).toEqual({
      stage: 'dev',
      env: { region: 'eu-central-1' },
      domain: undefined,
      alarmEmail: undefined,
      authDomainPrefix: undefined,
      throttle: { rateLimit: 50, burstLimit: 100 },
      mail: undefined,
    });
  });

  it('takes the staff mail sender for Amazon SES, and its name only with it', () => {
    expect(from({ mailFrom: 'umfrage@kreis-re.example', mailFromName: 'Kreis Recklinghausen' }).mail).toEqual({
      from: 'umfrage@kreis-re.example',
      fromName: 'Kreis Recklinghausen',
    });
    expect(problemsOf({ mailFrom: 'umfrage' })).toEqual([
      'mailFrom must be an e-mail address verified in Amazon SES (got "umfrage")',
    ]);
    expect(problemsOf({ mailFromName: 'Kreis' })).toEqual(['mailFromName is only used with mailFrom']);
  });

  it("takes the API throttle from the context, within API Gateway's account limits", () => {
    expect(from({ throttleRate: '400', throttleBurst: 800 }).throttle).toEqual({ rateLimit: 400, burstLimit: 800 });
    expect(problemsOf({ throttleRate: 'many', throttleBurst: 6000 })).toEqual([
      'throttleRate must be a whole number from 1 to 10000 (got "many")',
      'throttleBurst must be a whole number from 1 to 5000 (got "6000")',
    ]);
  });

  it('takes a stage, a domain with its certificate, an alarm e-mail and a hosted UI prefix', () => {
    const certificateArn = 'arn:aws:acm:eu-central-1:123456789012:certificate/0f3c6a1e-2b4d-4e8f-9a7b-1c2d3e4f5a6b';
    expect(
      from({
        stage: 'prod',
        domain: 'Umfrage.Kreis-RE.de',
        certificateArn,
        alarmEmail: 'it@kreis-re.example',
        authDomainPrefix: 'resonanz-kreis-re',
      }),
    ).toMatchObject({
      stage: 'prod',
      domain: { name: 'umfrage.kreis-re.de', certificateArn },
      alarmEmail: 'it@kreis-re.example',
      authDomainPrefix: 'resonanz-kreis-re',
    });
  });

  it('names every bad value at once', () => {
    const problems = problemsOf({
      stage: 'Prod_1',
      region: 'frankfurt',
      domain: 'not a host',
      alarmEmail: 'it-at-kreis',
      authDomainPrefix: 'my-cognito-login',
    });
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/domain needs certificateArn/);
    expect(problems.join('\n')).toMatch(/stage must be/);
    expect(problems.join('\n')).toMatch(/region must be an AWS region/);
    expect(problems.join('\n')).toMatch(/domain must be a host name/);
    expect(problems.join('\n')).toMatch(/alarmEmail must be an e-mail address/);
    expect(problems.join('\n')).toMatch(/authDomainPrefix must not contain aws, amazon or cognito/);
  });

  it('wants an alarm e-mail for a production stage, not for others', () => {
    expect(problemsOf({ stage: 'prod' })).toEqual(['stage "prod" needs alarmEmail (who is told when an alarm fires)']);
    expect(problemsOf({ stage: 'prod-unna' })).toHaveLength(1);
    expect(problemsOf({ stage: 'prod', alarmEmail: 'it@kreis-re.example' })).toEqual([]);
    expect(problemsOf({ stage: 'test' })).toEqual([]);
  });

  it('wants a certificate with a domain, and a domain for a certificate', () => {
    expect(problemsOf({ domain: 'umfrage.kreis-re.de' })).toEqual([
      'domain needs certificateArn (an ACM certificate for it in the region)',
    ]);
    expect(
      problemsOf({
        certificateArn: 'arn:aws:acm:eu-central-1:123456789012:certificate/0f3c6a1e-2b4d-4e8f-9a7b-1c2d3e4f5a6b',
      }),
    ).toEqual(['certificateArn is only used with domain']);
  });
});
