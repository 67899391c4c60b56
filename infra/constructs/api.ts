import { type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  DomainName,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionName, Route } from '../../functions/routes.js';
import { LOG_RETENTION } from './app-function.js';

/**
 * Requests per second (steady) and burst the stage accepts before answering 429, unless the stack's
 * settings say otherwise (`throttleRate`, `throttleBurst`). A response through the pages costs about
 * 10 requests (the first page, one post per section, the stylesheet), so 50 requests/s is about 5
 * respondents a second, 18,000 an hour: far above a county campaign's busiest hour (a newsletter,
 * tens of responses a minute), while it caps what a flood can cost. A national campaign raises it.
 */
export const THROTTLE = { rateLimit: 50, burstLimit: 100 };

/**
 * The access log line: no path, no query string, no source IP, no user agent. The route key says
 * which route answered without the ids, invitation tokens or codes a path can carry.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  method: '$context.httpMethod',
  route: '$context.routeKey',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
} as const;

export interface ApiProps {
  /** A custom domain for the API and the pages, with an ACM certificate for it in the stack's region. */
  readonly domain?: { name: string; certificateArn: string } | undefined;
  readonly logRemovalPolicy: RemovalPolicy;
  /** Stage-wide throttle (default `THROTTLE`). */
  readonly throttle?: { rateLimit: number; burstLimit: number } | undefined;
}

/**
 * The HTTP API: one `ANY` route per entry of the route table (functions/routes.ts), the JWT
 * authorizer on the `jwt` ones, one `$default` stage with throttling and access logs. CORS is only
 * configured for a custom domain, and then only for it: the pages are served by the API itself, so a
 * browser never needs another origin.
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** The API's own https URL (execute-api), only without a custom domain (which switches it off). */
  readonly apiUrl: string | undefined;
  readonly siteUrl: string;
  readonly domainName?: DomainName;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const siteOrigin = props.domain ? `https://${props.domain.name}` : undefined;
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Resonanz: survey links, lead, evaluator and admin APIs, lead pages',
      createDefaultStage: false,
      // With a custom domain the execute-api endpoint is switched off: every request comes through
      // the county's domain (one origin for the pages, the sign-in callback and any filter in front).
      disableExecuteApiEndpoint: siteOrigin !== undefined,
      ...(siteOrigin
        ? {
            corsPreflight: {
              allowOrigins: [siteOrigin],
              allowMethods: [CorsHttpMethod.ANY],
              allowHeaders: ['authorization', 'content-type'],
            },
          }
        : {}),
    });
    if (props.domain) {
      this.domainName = new DomainName(this, 'Domain', {
        domainName: props.domain.name,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
      });
    }
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: LOG_RETENTION,
      removalPolicy: props.logRemovalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
      ...(this.domainName ? { domainMapping: { domainName: this.domainName } } : {}),
    });
    // The execute-api address exists only while its endpoint is on (no custom domain).
    this.apiUrl = siteOrigin === undefined ? this.httpApi.apiEndpoint : undefined;
    this.siteUrl = siteOrigin ?? this.httpApi.apiEndpoint;
  }

  /**
   * Adds the routes of the route table: `ANY <path>` (or `$default`) to the function's integration,
   * with the authorizer on the `jwt` ones. (Separate from the constructor: the authorizer's app
   * client needs the API's URL for its callback.)
   */
  addRoutes(
    routes: readonly Route[],
    functions: Record<FunctionName, IFunction>,
    authorizer: IHttpRouteAuthorizer,
  ): HttpRoute[] {
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    return routes.map((route) => {
      let integration = integrations.get(route.fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.fn}-integration`, functions[route.fn]);
        integrations.set(route.fn, integration);
      }
      const routeKey = route.path === '$default' ? HttpRouteKey.DEFAULT : HttpRouteKey.with(route.path, HttpMethod.ANY);
      const httpRoute = new HttpRoute(this, `Route${route.path.replace(/[^A-Za-z0-9]/g, '')}`, {
        httpApi: this.httpApi,
        routeKey,
        integration,
        ...(route.auth === 'jwt' ? { authorizer } : {}),
      });
      if (route.auth === 'public')
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions::AwsSolutions-APIG4',
          reason: `Public by design: ${route.why}.`,
        });
      return httpRoute;
    });
  }
}
