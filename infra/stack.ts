import {
  Aws,
  type CfnElement,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Size,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { EXPORT_NODE_OPTIONS } from '../functions/export/node-options.js';
import { DEPLOYED_NAMES, type DeployedName } from '../functions/jobs.js';
import { ROUTES } from '../functions/routes.js';
import { TABLE_ACCESS } from './access.js';
import { Alarms } from './constructs/alarms.js';
import { Api } from './constructs/api.js';
import { AppFunction } from './constructs/app-function.js';
import { Auth } from './constructs/auth.js';
import { ExportBucket } from './constructs/export-bucket.js';
import { SurveyTable } from './constructs/survey-table.js';

export interface ResonanzStackProps extends StackProps {
  /** `dev` stages can be torn down with their data; any other stage keeps table, bucket and users. */
  readonly stage: string;
  /** A custom domain for survey links and pages, with an ACM certificate in the stack's region. */
  readonly domain?: { name: string; certificateArn: string } | undefined;
  /** Where alarms are e-mailed. */
  readonly alarmEmail?: string | undefined;
  /** Prefix of the Cognito hosted UI domain (default `resonanz-<stage>-<account id>`). */
  readonly authDomainPrefix?: string | undefined;
  /** The county's sender for staff mail through SES (verified in the region); Cognito's own without it. */
  readonly mail?: { from: string; fromName?: string | undefined } | undefined;
  /** The API stage's throttle, requests per second and burst (default 50 and 100). */
  readonly throttle?: { rateLimit: number; burstLimit: number } | undefined;
}

/** Memory, time limit and extra options per function. */
const SIZING: Record<
  DeployedName,
  { memorySize: number; timeout: Duration; nodeOptions?: string; ephemeralStorageSize?: Size }
> = {
  // In front of the public: enough memory for a quick cold start (CPU grows with memory).
  respond: { memorySize: 1024, timeout: Duration.seconds(10) },
  admin: { memorySize: 1024, timeout: Duration.seconds(29) },
  // Impact: estimates, weighting and tests over the aggregate cells of a survey.
  report: { memorySize: 1024, timeout: Duration.seconds(29) },
  // One whole function time limit per export (an asynchronous invocation); 1,769 MB is one full vCPU.
  // The coded rows wait in /tmp between the passes (shared/export/spool.ts: ~12 MB per 100,000).
  export: {
    memorySize: 1769,
    timeout: Duration.minutes(15),
    nodeOptions: EXPORT_NODE_OPTIONS,
    ephemeralStorageSize: Size.gibibytes(2),
  },
  // Reads every survey's response keys and aggregate cells once a week; no one waits for it.
  retention: { memorySize: 1024, timeout: Duration.minutes(15) },
};

/** When the retention run pools small cells past retention: Mondays 03:30 UTC, a quiet hour. */
const RETENTION_SCHEDULE = { minute: '30', hour: '3', weekDay: 'MON' } as const;

/**
 * The whole of Resonanz in one stack: the survey table, one function per app behind one HTTP API,
 * Cognito for staff, the export bucket, alarms. Every function reads its configuration from the
 * environment set here (functions/lib/config.ts); its permissions are exactly the ones below.
 */
export class ResonanzStack extends Stack {
  readonly functions: Record<DeployedName, AppFunction>;
  readonly table: TableV2;
  readonly exportBucket: Bucket;
  readonly auth: Auth;
  readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: ResonanzStackProps) {
    super(scope, id, props);
    const retain = props.stage !== 'dev';
    const removal = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const table = new SurveyTable(this, 'Surveys', { retain }).table;
    const exports = new ExportBucket(this, 'Exports', { retain }).bucket;
    this.table = table;
    this.exportBucket = exports;

    const fns = {} as Record<DeployedName, AppFunction>;
    for (const name of DEPLOYED_NAMES) {
      fns[name] = new AppFunction(this, `${name[0]?.toUpperCase()}${name.slice(1)}`, {
        name,
        ...SIZING[name],
        environment: { TABLE_NAME: table.tableName, LOG_LEVEL: 'info' },
        dataFolders: name === 'report' ? ['population'] : [],
        logRemovalPolicy: removal,
      });
      for (const access of TABLE_ACCESS[name]) {
        fns[name].role.addToPrincipalPolicy(
          new PolicyStatement({
            actions: access.actions,
            resources: [table.tableArn],
            conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': access.keys } },
          }),
        );
      }
    }
    this.functions = fns;

    // Small aggregate cells of responses past retention are pooled weekly (docs/privacy.md).
    // EventBridge invokes the function asynchronously: its target policy covers delivery, the
    // function's own asynchronous settings a run that fails (retried twice, then its error alarm).
    new Rule(this, 'RetentionSchedule', {
      description: 'Resonanz: pool small aggregate cells of responses past retention',
      schedule: Schedule.cron(RETENTION_SCHEDULE),
      targets: [new LambdaTarget(fns.retention.fn, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });
    fns.retention.fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6) });

    // Export files: written with multipart uploads, read back through presigned links, deleted when
    // an export is stopped. Objects only, never the bucket's settings.
    const exportFn = fns.export;
    exportFn.fn.addEnvironment('EXPORT_BUCKET', exports.bucketName);
    exportFn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        resources: [exports.arnForObjects('*')],
      }),
    );
    Validations.of(exportFn.role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(exports.node.defaultChild as CfnElement)}.Arn>/*]`,
      reason:
        'Export files are named per survey and export at run time (<survey>/<export id>/<file>); the grant ' +
        'is limited to object actions in this one bucket, which holds nothing but export files.',
    });
    // Each export runs in an asynchronous invocation of the export function itself. A policy of its
    // own: the function depends on its role's default policy, which must not name the function.
    new Policy(this, 'ExportSelfInvoke', {
      roles: [exportFn.role],
      statements: [new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [exportFn.fn.functionArn] })],
    });
    exportFn.fn.configureAsyncInvoke({ retryAttempts: 1, maxEventAge: Duration.hours(1) });

    const api = new Api(this, 'Api', { domain: props.domain, logRemovalPolicy: removal, throttle: props.throttle });
    // The lead pages are served from one origin: the custom domain, or the execute-api endpoint without one.
    const siteOrigins = [api.siteUrl];
    const auth = new Auth(this, 'Auth', {
      siteOrigins,
      domainPrefix: props.authDomainPrefix ?? `resonanz-${props.stage}-${Aws.ACCOUNT_ID}`,
      retain,
      mail: props.mail,
    });
    const authorizer = new HttpUserPoolAuthorizer('Cognito', auth.userPool, {
      userPoolClients: [auth.client],
      identitySource: ['$request.header.Authorization'],
    });
    api.addRoutes(
      ROUTES,
      { respond: fns.respond.fn, admin: fns.admin.fn, report: fns.report.fn, export: fns.export.fn },
      authorizer,
    );
    // Links, QR codes and invitations point at the site; the lead pages sign in through the hosted UI.
    fns.admin.fn.addEnvironment('PUBLIC_BASE_URL', api.siteUrl);
    const hostedUi = auth.domain.baseUrl();
    fns.report.fn.addEnvironment('OIDC_AUTHORIZE_URL', `${hostedUi}/oauth2/authorize`);
    fns.report.fn.addEnvironment('OIDC_TOKEN_URL', `${hostedUi}/oauth2/token`);
    fns.report.fn.addEnvironment('OIDC_CLIENT_ID', auth.client.userPoolClientId);

    this.auth = auth;
    const alarms = new Alarms(this, 'Alarms', {
      api: api.httpApi,
      functions: Object.fromEntries(DEPLOYED_NAMES.map((name) => [name, fns[name].fn])),
      asynchronous: ['export', 'retention'],
      table,
      email: props.alarmEmail,
    });

    this.alarms = alarms;

    new CfnOutput(this, 'SiteUrl', { value: api.siteUrl, description: 'Survey links, lead pages and APIs' });
    if (api.apiUrl) {
      new CfnOutput(this, 'ApiUrl', { value: api.apiUrl, description: 'The API (execute-api endpoint)' });
    }
    if (api.domainName) {
      new CfnOutput(this, 'DomainTarget', {
        value: api.domainName.regionalDomainName,
        description: `DNS: CNAME ${props.domain?.name} to this name`,
      });
    }
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'ExportBucket', { value: exports.bucketName });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.client.userPoolClientId });
    new CfnOutput(this, 'SignInUrl', { value: `${api.siteUrl}/reports/signin` });
    new CfnOutput(this, 'AlarmTopic', { value: alarms.topic.topicArn });
  }
}
