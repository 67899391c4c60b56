import { Aws, Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, type IMetric, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Operation, type TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmsProps {
  readonly api: HttpApi;
  readonly functions: Record<string, LambdaFunction>;
  /** Functions invoked asynchronously (exports, the retention run): an invocation given up on is an alarm. */
  readonly asynchronous: readonly string[];
  readonly table: TableV2;
  /** Who hears about alarms; without it the topic is there to subscribe to later. */
  readonly email?: string | undefined;
}

/** 4xx answers in five minutes that are more than mistakes: a flood, a scraper, clients throttled (429). */
export const CLIENT_ERROR_SURGE = 500;
/** A function whose slowest run reaches this share of its time limit is about to time out. */
export const NEAR_TIMEOUT = 0.8;
/** The table operations the functions use (an alarm's metric math takes at most 10 metrics). */
const TABLE_OPERATIONS = [
  Operation.GET_ITEM,
  Operation.BATCH_GET_ITEM,
  Operation.QUERY,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.BATCH_WRITE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
];

/**
 * Alarms that mean someone should look: the API answering 5xx, or 4xx in a surge (a flood, 429s);
 * a function failing, throttled, or its slowest run near its time limit; an asynchronous run (an
 * export, the retention run) given up on after its retries; the table throttling requests. Each
 * goes to one SNS topic (e-mail optional). Five-minute periods; a single bad minute in a quiet
 * survey is already worth a look, so the thresholds are low. No data is "fine" (a survey at night).
 */
export class Alarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'Resonanz alarms', enforceSSL: true });
    // `enforceSSL` makes CDK write a topic policy of its own, holding only its Deny: that policy
    // replaces the default one, so without this Allow CloudWatch could not publish a single alarm.
    // Only alarms of this account and region may publish.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
        },
      }),
    );
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    const period = Duration.minutes(5);
    this.add('Api5xx', props.api.metricServerError({ period, statistic: 'Sum' }), 5, 'The API answered 5xx');
    this.add(
      'Api4xxSurge',
      props.api.metricClientError({ period, statistic: 'Sum' }),
      CLIENT_ERROR_SURGE,
      `The API answered 4xx more than ${CLIENT_ERROR_SURGE} times in 5 minutes (a flood, or clients throttled with 429)`,
    );
    this.add(
      'TableThrottles',
      props.table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS, period }),
      1,
      'The survey table throttled requests',
    );
    for (const [name, fn] of Object.entries(props.functions)) {
      if (fn.timeout) {
        const limit = fn.timeout.toMilliseconds();
        this.add(
          `${name}NearTimeout`,
          fn.metricDuration({ period, statistic: 'Maximum' }),
          Math.round(limit * NEAR_TIMEOUT),
          `The ${name} function's slowest run took ${NEAR_TIMEOUT * 100} % of its ${limit / 1000} s time limit`,
        );
      }
      if (props.asynchronous.includes(name)) {
        this.add(
          `${name}AsyncDropped`,
          new Metric({
            namespace: 'AWS/Lambda',
            metricName: 'AsyncEventsDropped',
            dimensionsMap: { FunctionName: fn.functionName },
            period,
            statistic: 'Sum',
          }),
          1,
          `An asynchronous run of the ${name} function was given up on after its retries`,
        );
      }
      this.add(`${name}Errors`, fn.metricErrors({ period, statistic: 'Sum' }), 1, `The ${name} function failed`);
      this.add(
        `${name}Throttles`,
        fn.metricThrottles({ period, statistic: 'Sum' }),
        1,
        `The ${name} function was throttled (concurrency limit reached)`,
      );
    }
  }

  private add(id: string, metric: IMetric, threshold: number, description: string): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
