import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_NODE_OPTIONS } from '../../functions/export/node-options.js';
import { DEPLOYED_NAMES, type DeployedName } from '../../functions/jobs.js';
import { type FunctionName, ROUTES } from '../../functions/routes.js';
import { TABLE_ACCESS } from '../../infra/access.js';
import { CLIENT_ERROR_SURGE, NEAR_TIMEOUT } from '../../infra/constructs/alarms.js';
import { SIGN_IN_CALLBACK_PATH } from '../../infra/constructs/auth.js';
import { actionsOf, resourcesOf, type Statement, type Synthesized, statementsOf, synth } from './synth.js';

const CERTIFICATE = 'arn:aws:acm:eu-central-1:123456789012:certificate/0f3c6a1e-2b4d-4e8f-9a7b-1c2d3e4f5a6b';

describe('ResonanzStack', () => {
  let prod: Synthesized;
  let dev: Synthesized;
  let withDomain: Synthesized;
  const fnId = (s: Synthesized, name: DeployedName) => s.idOf(s.stack.functions[name].fn);
  const roleId = (s: Synthesized, name: DeployedName) => s.idOf(s.stack.functions[name].role);
  const tableArn = () => ({ 'Fn::GetAtt': [prod.idOf(prod.stack.table), 'Arn'] });

  beforeAll(() => {
    prod = synth({
      stage: 'prod',
      alarmEmail: 'it@kreis-re.example',
      mail: { from: 'umfrage@kreis-re.example', fromName: 'Kreis Recklinghausen' },
    });
    dev = synth({ stage: 'dev' });
    withDomain = synth({
      stage: 'prod',
      domain: { name: 'umfrage.kreis-re.de', certificateArn: CERTIFICATE },
      throttle: { rateLimit: 400, burstLimit: 800 },
    });
  });

  describe('functions', () => {
    it('runs one function per app and per job on nodejs24.x, ARM64, with its own log group kept 30 days', () => {
      const fns = resourcesOf(prod.template, 'AWS::Lambda::Function');
      expect(Object.keys(fns).sort()).toEqual(DEPLOYED_NAMES.map((n) => fnId(prod, n)).sort());
      for (const name of DEPLOYED_NAMES) {
        const props = fns[fnId(prod, name)]?.Properties;
        expect(props, name).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          Role: { 'Fn::GetAtt': [roleId(prod, name), 'Arn'] },
          LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: prod.idOf(prod.stack.functions[name].logGroup) } },
        });
        const env = (props?.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {};
        expect(env.TABLE_NAME).toEqual({ Ref: prod.idOf(prod.stack.table) });
        expect(env.NODE_OPTIONS).toMatch(/^--enable-source-maps\b/);
      }
      const logGroups = resourcesOf(prod.template, 'AWS::Logs::LogGroup');
      for (const group of Object.values(logGroups)) expect(group.Properties.RetentionInDays).toBe(30);
    });

    it('sizes each function for its work: 15 minutes and room for the spool for exports, under the API limit of 30 s for the others', () => {
      const props = (name: FunctionName) =>
        resourcesOf(prod.template, 'AWS::Lambda::Function')[fnId(prod, name)]?.Properties ?? {};
      expect(props('respond')).toMatchObject({ Timeout: 10, MemorySize: 1024 });
      expect(props('admin').Timeout).toBeLessThan(30);
      expect(props('report').Timeout).toBeLessThan(30);
      expect(props('export')).toMatchObject({ Timeout: 900, MemorySize: 1769, EphemeralStorage: { Size: 2048 } });
      expect(props('respond').EphemeralStorage).toBeUndefined();
    });

    it('gives each function the environment its configuration schema reads, from generated names', () => {
      const env = (name: FunctionName) =>
        (
          resourcesOf(prod.template, 'AWS::Lambda::Function')[fnId(prod, name)]?.Properties.Environment as
            | { Variables: Record<string, unknown> }
            | undefined
        )?.Variables ?? {};
      expect(env('export')).toMatchObject({
        EXPORT_BUCKET: { Ref: prod.idOf(prod.stack.exportBucket) },
        NODE_OPTIONS: `--enable-source-maps ${EXPORT_NODE_OPTIONS}`,
      });
      expect(JSON.stringify(env('admin').PUBLIC_BASE_URL)).toContain('ApiEndpoint');
      const report = env('report');
      expect(JSON.stringify(report.OIDC_AUTHORIZE_URL)).toContain('/oauth2/authorize');
      expect(JSON.stringify(report.OIDC_TOKEN_URL)).toContain('/oauth2/token');
      expect(report.OIDC_CLIENT_ID).toEqual({ Ref: prod.idOf(prod.stack.auth.client) });
      expect(env('respond')).not.toHaveProperty('EXPORT_BUCKET');
      expect(env('respond')).not.toHaveProperty('OIDC_CLIENT_ID');
    });

    it('runs the retention job from its weekly schedule only, retried twice, with a whole function time limit', () => {
      const retention = fnId(prod, 'retention');
      const rules = Object.values(resourcesOf(prod.template, 'AWS::Events::Rule'));
      expect(rules.map((r) => r.Properties)).toEqual([
        expect.objectContaining({
          ScheduleExpression: 'cron(30 3 ? * MON *)',
          State: 'ENABLED',
          Targets: [
            expect.objectContaining({
              Arn: { 'Fn::GetAtt': [retention, 'Arn'] },
              RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 6 * 3600 },
            }),
          ],
        }),
      ]);
      const invokers = Object.values(resourcesOf(prod.template, 'AWS::Lambda::Permission'))
        .map((p) => p.Properties as { FunctionName: unknown; Principal: string })
        .filter((p) => JSON.stringify(p.FunctionName).includes(retention))
        .map((p) => p.Principal);
      expect(invokers).toEqual(['events.amazonaws.com']);
      // A run that fails is retried by Lambda's asynchronous invocation, not by the rule's target.
      prod.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: retention },
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 6 * 3600,
      });
      const props = resourcesOf(prod.template, 'AWS::Lambda::Function')[retention]?.Properties ?? {};
      expect(props).toMatchObject({ Timeout: 900, MemorySize: 1024 });
    });

    it('retries a failed export job once and drops jobs older than an hour', () => {
      prod.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fnId(prod, 'export') },
        MaximumRetryAttempts: 1,
        MaximumEventAgeInSeconds: 3600,
      });
    });
  });

  describe('HTTP API', () => {
    type Route = { RouteKey: string; AuthorizationType?: string; AuthorizerId?: unknown; Target: unknown };
    const routes = (s: Synthesized) =>
      Object.values(resourcesOf(s.template, 'AWS::ApiGatewayV2::Route')).map((r) => r.Properties as Route);
    const integrationFunction = (s: Synthesized, target: unknown) => {
      const id = ((target as { 'Fn::Join': [string, [string, { Ref: string }]] })['Fn::Join'][1][1] as { Ref: string })
        .Ref;
      const uri = resourcesOf(s.template, 'AWS::ApiGatewayV2::Integration')[id]?.Properties.IntegrationUri as {
        'Fn::GetAtt': [string, string];
      };
      return uri['Fn::GetAtt'][0];
    };

    it('has exactly the routes of the route table, each to its function', () => {
      const deployed = routes(prod);
      expect(deployed.map((r) => r.RouteKey).sort()).toEqual(
        ROUTES.map((r) => (r.path === '$default' ? '$default' : `ANY ${r.path}`)).sort(),
      );
      for (const route of ROUTES) {
        const key = route.path === '$default' ? '$default' : `ANY ${route.path}`;
        const target = deployed.find((r) => r.RouteKey === key)?.Target;
        expect(integrationFunction(prod, target), key).toBe(fnId(prod, route.fn));
      }
    });

    it('puts the Cognito JWT authorizer on every staff route and none on public ones', () => {
      const [authorizerId] = Object.keys(resourcesOf(prod.template, 'AWS::ApiGatewayV2::Authorizer'));
      for (const route of ROUTES) {
        const key = route.path === '$default' ? '$default' : `ANY ${route.path}`;
        const deployed = routes(prod).find((r) => r.RouteKey === key);
        if (route.auth === 'jwt') {
          expect(deployed, key).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
        } else {
          expect(deployed?.AuthorizationType ?? 'NONE', key).toBe('NONE');
          expect(deployed?.AuthorizerId, key).toBeUndefined();
        }
      }
      // Every admin, lead and evaluator API path is covered by a jwt route.
      expect(ROUTES.filter((r) => r.auth === 'jwt').map((r) => r.fn)).toEqual(
        expect.arrayContaining(['admin', 'report', 'export']),
      );
      expect(ROUTES.filter((r) => r.fn === 'respond').every((r) => r.auth === 'public')).toBe(true);
    });

    it('verifies Cognito ID tokens of this user pool and app client', () => {
      prod.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [{ Ref: prod.idOf(prod.stack.auth.client) }],
          Issuer: {
            'Fn::Join': [
              '',
              ['https://cognito-idp.eu-central-1.amazonaws.com/', { Ref: prod.idOf(prod.stack.auth.userPool) }],
            ],
          },
        },
      });
    });

    it('throttles the stage and logs requests without paths, query strings, IPs or user agents', () => {
      const stages = Object.values(resourcesOf(prod.template, 'AWS::ApiGatewayV2::Stage'));
      expect(stages).toHaveLength(1);
      const stage = stages[0]?.Properties as {
        StageName: string;
        DefaultRouteSettings: Record<string, number>;
        AccessLogSettings: { Format: string };
      };
      expect(stage.StageName).toBe('$default');
      // docs/deploy.md: 50 requests/s, burst 100, for every route (no route loosens it).
      expect(stage.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
      expect(stage).not.toHaveProperty('RouteSettings');
      // A national campaign sets its own (context throttleRate, throttleBurst).
      const own = Object.values(resourcesOf(withDomain.template, 'AWS::ApiGatewayV2::Stage'))[0]?.Properties as {
        DefaultRouteSettings: Record<string, number>;
      };
      expect(own.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 400, ThrottlingBurstLimit: 800 });
      const format = stage.AccessLogSettings.Format;
      expect(JSON.parse(format)).toMatchObject({ route: '$context.routeKey', status: '$context.status' });
      for (const leaky of ['$context.path', 'sourceIp', 'userAgent', 'querystring', 'rawQueryString', '$request']) {
        expect(format, leaky).not.toContain(leaky);
      }
    });

    it('configures no CORS without a custom domain, and only that origin with one', () => {
      const api = (s: Synthesized) => Object.values(resourcesOf(s.template, 'AWS::ApiGatewayV2::Api'))[0]?.Properties;
      expect(api(prod)).not.toHaveProperty('CorsConfiguration');
      expect(api(withDomain)?.CorsConfiguration).toMatchObject({ AllowOrigins: ['https://umfrage.kreis-re.de'] });
      withDomain.template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
        DomainName: 'umfrage.kreis-re.de',
        DomainNameConfigurations: [Match.objectLike({ CertificateArn: CERTIFICATE })],
      });
      withDomain.template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
      prod.template.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    });
  });

  describe('Cognito', () => {
    it('is for staff: no self sign-up, MFA required, a strong password policy, protected outside dev', () => {
      prod.template.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
        DeletionProtection: 'ACTIVE',
        Schema: Match.arrayWith([Match.objectLike({ Name: 'campaigns', AttributeDataType: 'String', Mutable: true })]),
      });
      dev.template.hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'INACTIVE' });
    });

    it('has the groups admin, lead and evaluator', () => {
      const groups = Object.values(resourcesOf(prod.template, 'AWS::Cognito::UserPoolGroup')).map(
        (g) => g.Properties.GroupName,
      );
      expect(groups.sort()).toEqual(['admin', 'evaluator', 'lead']);
    });

    it('lets the console read but never write the campaign scope, with the code flow back to the site', () => {
      const client = resourcesOf(prod.template, 'AWS::Cognito::UserPoolClient')[prod.idOf(prod.stack.auth.client)]
        ?.Properties as Record<string, unknown>;
      expect(client).toMatchObject({
        GenerateSecret: false,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid'],
      });
      expect(client.ExplicitAuthFlows).toEqual(
        expect.arrayContaining(['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH']),
      );
      expect(client.ExplicitAuthFlows).not.toContain('ALLOW_ADMIN_USER_PASSWORD_AUTH');
      expect(client.ReadAttributes).toContain('custom:campaigns');
      expect(client.WriteAttributes).not.toContain('custom:campaigns');
      expect(JSON.stringify(client.CallbackURLs)).toContain(SIGN_IN_CALLBACK_PATH);
      const withDomainClient = Object.values(resourcesOf(withDomain.template, 'AWS::Cognito::UserPoolClient'))[0]
        ?.Properties.CallbackURLs;
      expect(withDomainClient).toEqual([`https://umfrage.kreis-re.de${SIGN_IN_CALLBACK_PATH}`]);
    });

    it('switches the execute-api endpoint off when the API has a custom domain, so every request comes through it', () => {
      const api = (s: Synthesized) =>
        Object.values(resourcesOf(s.template, 'AWS::ApiGatewayV2::Api'))[0]?.Properties as {
          DisableExecuteApiEndpoint?: boolean;
        };
      expect(api(withDomain).DisableExecuteApiEndpoint).toBe(true);
      expect(api(prod).DisableExecuteApiEndpoint).toBe(false);
      expect(Object.keys(withDomain.template.toJSON().Outputs)).not.toContain('ApiUrl');
      expect(Object.keys(prod.template.toJSON().Outputs)).toContain('ApiUrl');
    });
  });

  describe('export bucket', () => {
    it('is private, encrypted, TLS only, and empties itself after 7 days', () => {
      prod.template.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ ExpirationInDays: 7, Status: 'Enabled' }),
            Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
          ]),
        },
      });
      prod.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('keeps table, bucket and users when a production stack goes, not a dev one', () => {
      for (const type of ['AWS::S3::Bucket', 'AWS::DynamoDB::GlobalTable', 'AWS::Cognito::UserPool']) {
        expect(Object.values(resourcesOf(prod.template, type))[0]?.DeletionPolicy, type).toBe('Retain');
        expect(Object.values(resourcesOf(dev.template, type))[0]?.DeletionPolicy, type).toBe('Delete');
      }
    });
  });

  describe('least privilege', () => {
    const dynamoStatements = (name: DeployedName) =>
      statementsOf(prod.template, roleId(prod, name)).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('dynamodb:')),
      );

    it('grants each function exactly its table access, on the table only, by partition key prefix', () => {
      for (const name of DEPLOYED_NAMES) {
        const granted = dynamoStatements(name).map((s: Statement) => ({
          actions: actionsOf(s),
          keys: s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'],
          resource: s.Resource,
          effect: s.Effect,
        }));
        expect(granted, name).toEqual(
          TABLE_ACCESS[name].map((a) => ({ actions: a.actions, keys: a.keys, resource: tableArn(), effect: 'Allow' })),
        );
      }
    });

    it('never grants a scan, an index, or table management', () => {
      for (const name of DEPLOYED_NAMES) {
        for (const s of dynamoStatements(name)) {
          for (const action of actionsOf(s)) {
            expect(action, name).not.toMatch(/Scan|\*|Table|Index|Backup|Stream/);
          }
          expect(JSON.stringify(s.Resource), name).not.toContain('index');
        }
      }
    });

    it('lets only the export function touch the bucket (objects only) and invoke itself', () => {
      const bucketId = prod.idOf(prod.stack.exportBucket);
      for (const name of DEPLOYED_NAMES) {
        const statements = statementsOf(prod.template, roleId(prod, name));
        const s3 = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
        const invoke = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('lambda:')));
        if (name !== 'export') {
          expect(s3, name).toEqual([]);
          expect(invoke, name).toEqual([]);
          continue;
        }
        expect(s3).toHaveLength(1);
        expect(actionsOf(s3[0] as Statement).sort()).toEqual(
          ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'].sort(),
        );
        expect(s3[0]?.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] });
        expect(invoke).toEqual([
          {
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            Resource: { 'Fn::GetAtt': [fnId(prod, 'export'), 'Arn'] },
          },
        ]);
      }
    });

    it('lets each function write only to its own log group, with no managed policies', () => {
      for (const name of DEPLOYED_NAMES) {
        const logs = statementsOf(prod.template, roleId(prod, name)).filter((s) =>
          actionsOf(s).some((a) => a.startsWith('logs:')),
        );
        expect(logs, name).toEqual([
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [prod.idOf(prod.stack.functions[name].logGroup), 'Arn'] },
          },
        ]);
        const role = resourcesOf(prod.template, 'AWS::IAM::Role')[roleId(prod, name)];
        expect(role?.Properties.ManagedPolicyArns, name).toBeUndefined();
        const statements = statementsOf(prod.template, roleId(prod, name));
        const allowed = statements.flatMap(actionsOf);
        expect(
          allowed.every((a) => /^(dynamodb|logs|s3|lambda|xray):/.test(a)),
          name,
        ).toBe(true);
        // Active tracing: only the two X-Ray writes, which take no resource, are granted on "*".
        expect(
          statements
            .filter((s) => s.Resource === '*')
            .flatMap(actionsOf)
            .sort(),
          name,
        ).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
      }
    });
  });

  describe('staff mail', () => {
    it("sends through SES from the county's sender when configured, else through Cognito, in German either way", () => {
      const pool = (s: Synthesized) =>
        Object.values(resourcesOf(s.template, 'AWS::Cognito::UserPool'))[0]?.Properties as {
          EmailConfiguration: { EmailSendingAccount: string; From?: string; SourceArn?: unknown };
          AdminCreateUserConfig: { InviteMessageTemplate: { EmailSubject: string; EmailMessage: string } };
          VerificationMessageTemplate: { EmailSubject: string; EmailMessage: string };
        };
      const ses = pool(prod);
      expect(ses.EmailConfiguration.EmailSendingAccount).toBe('DEVELOPER');
      expect(ses.EmailConfiguration.From).toBe('Kreis Recklinghausen <umfrage@kreis-re.example>');
      expect(JSON.stringify(ses.EmailConfiguration.SourceArn)).toContain(':identity/umfrage@kreis-re.example');
      expect(pool(dev).EmailConfiguration.EmailSendingAccount).toBe('COGNITO_DEFAULT');
      for (const p of [ses, pool(dev)]) {
        expect(p.AdminCreateUserConfig.InviteMessageTemplate.EmailSubject).toBe('Ihr Zugang zu Resonanz');
        expect(p.AdminCreateUserConfig.InviteMessageTemplate.EmailMessage).toContain('{username}');
        expect(p.AdminCreateUserConfig.InviteMessageTemplate.EmailMessage).toContain('Vorläufiges Passwort: {####}');
        expect(p.VerificationMessageTemplate.EmailMessage).toContain('{####}');
      }
    });
  });

  describe('alarms', () => {
    it('alarms on API 5xx and 4xx surges, table throttling, and errors, throttles, near-timeouts and dropped runs of functions, to one topic', () => {
      const alarms = Object.values(resourcesOf(prod.template, 'AWS::CloudWatch::Alarm')).map(
        (a) =>
          a.Properties as {
            MetricName?: string;
            Namespace?: string;
            Statistic?: string;
            Threshold: number;
            Dimensions?: { Name: string; Value: unknown }[];
            Metrics?: { MetricStat?: { Metric: { Namespace: string; MetricName: string } } }[];
            AlarmActions: unknown[];
          },
      );
      const topic = { Ref: prod.idOf(prod.stack.alarms.topic) };
      const api = alarms.filter((a) => a.Namespace === 'AWS/ApiGateway');
      expect(api.map((a) => [a.MetricName, a.Threshold])).toEqual([
        ['5xx', 5],
        ['4xx', CLIENT_ERROR_SURGE],
      ]);
      const lambda = alarms.filter((a) => a.Namespace === 'AWS/Lambda').map((a) => a.MetricName);
      expect(lambda.filter((m) => m === 'Errors')).toHaveLength(DEPLOYED_NAMES.length);
      expect(lambda.filter((m) => m === 'Throttles')).toHaveLength(DEPLOYED_NAMES.length);
      // The slowest run at 80 % of each function's own time limit.
      const durations = alarms.filter((a) => a.MetricName === 'Duration');
      expect(durations).toHaveLength(DEPLOYED_NAMES.length);
      const fns = resourcesOf(prod.template, 'AWS::Lambda::Function');
      for (const alarm of durations) {
        expect(alarm.Statistic).toBe('Maximum');
        const fn = (alarm.Dimensions ?? []).find((d) => d.Name === 'FunctionName')?.Value as { Ref: string };
        const props = fns[fn.Ref]?.Properties as { Timeout: number } | undefined;
        const timeout = props?.Timeout ?? Number.NaN;
        expect(alarm.Threshold).toBe(Math.round(timeout * 1000 * NEAR_TIMEOUT));
      }
      // Runs given up on after their retries: the export and the retention run.
      const dropped = alarms.filter((a) => a.MetricName === 'AsyncEventsDropped');
      expect(dropped.map((a) => ((a.Dimensions ?? [])[0]?.Value as { Ref: string } | undefined)?.Ref).sort()).toEqual(
        [fnId(prod, 'export'), fnId(prod, 'retention')].sort(),
      );
      // Table throttling, summed over the operations the functions use.
      const table = alarms.filter((a) =>
        a.Metrics?.some((m) => m.MetricStat?.Metric.MetricName === 'ThrottledRequests'),
      );
      expect(table).toHaveLength(1);
      expect(table[0]?.Metrics?.filter((m) => m.MetricStat).length).toBeLessThanOrEqual(10);
      for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([topic]);
      prod.template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'it@kreis-re.example',
      });
      dev.template.resourceCountIs('AWS::SNS::Subscription', 0);
    });

    it('lets CloudWatch alarms of the account publish to the topic, over TLS only', () => {
      const policies = Object.values(resourcesOf(prod.template, 'AWS::SNS::TopicPolicy')).map(
        (p) =>
          p.Properties as {
            Topics: unknown[];
            PolicyDocument: {
              Statement: { Effect: string; Principal: unknown; Action: unknown; Condition?: Record<string, unknown> }[];
            };
          },
      );
      const topic = { Ref: prod.idOf(prod.stack.alarms.topic) };
      const own = policies.filter((p) => JSON.stringify(p.Topics) === JSON.stringify([topic]));
      expect(own).toHaveLength(1);
      const statements = own[0]?.PolicyDocument.Statement ?? [];
      const allow = statements.filter((s) => s.Effect === 'Allow');
      expect(allow).toHaveLength(1);
      expect(allow[0]).toMatchObject({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      });
      expect(JSON.stringify(allow[0]?.Condition?.ArnLike)).toContain(':alarm:*');
      // The Deny for plain HTTP stays.
      expect(
        statements.some(
          (s) => s.Effect === 'Deny' && JSON.stringify(s.Condition).includes('"aws:SecureTransport":"false"'),
        ),
      ).toBe(true);
    });
  });
});
