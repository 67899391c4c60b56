import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Days an export file stays in the bucket; the export record outlives it (see docs/export.md). */
export const EXPORT_FILE_DAYS = 7;

export interface ExportBucketProps {
  /** Keep the bucket when the stack goes (outside dev). */
  readonly retain: boolean;
}

/**
 * Where the export function writes export files (multipart uploads) and evaluators download them
 * from through presigned links: private (every public access blocked, objects owned by the bucket
 * owner), TLS only, encrypted, and emptied by lifecycle rules, so microdata does not pile up.
 */
export class ExportBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: ExportBucketProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: false,
      lifecycleRules: [
        { id: 'expire-export-files', expiration: Duration.days(EXPORT_FILE_DAYS) },
        { id: 'abort-unfinished-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason:
        'Server access logs would store the IP address of every evaluator who downloads an export. ' +
        'Who exported what and when is recorded in the survey table instead (export records), and ' +
        'downloads only work through presigned links of at most 15 minutes handed to that evaluator.',
    });
  }
}
