import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export interface SurveyTableProps {
  /** Keep the table (and refuse deletion) when the stack goes. Default: true. */
  readonly retain?: boolean;
}

/**
 * The single table: `pk`/`sk` strings as `shared/data/table.ts` describes, on-demand, point-in-time
 * recovery, encryption with the AWS managed key, TTL attribute `expiresAt` for retention. The logical id stays stable (`Table`): a changed
 * id would replace the table and lose its data.
 */
export class SurveyTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: SurveyTableProps = {}) {
    super(scope, id);
    const retain = props.retain ?? true;
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      // Encrypted at rest with the account's AWS managed key (aws/dynamodb): key use shows in CloudTrail.
      encryption: TableEncryptionV2.awsManagedKey(),
      deletionProtection: retain,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
