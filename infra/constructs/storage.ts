import { type CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ARTIFACT_BUCKET_CORS } from '../../shared/storage/bucket-definition.js';
import { objectKeys } from '../../shared/storage/keys.js';

/** The private artifact bucket and the bucket that receives its and CloudFront's access logs. */
export class Storage extends Construct {
  readonly artifacts: Bucket;
  readonly logs: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.logs = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Both writers (S3 server access logs, CloudFront standard logging v2) are authorized by the
      // bucket policy, so ACLs stay disabled.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const c = ARTIFACT_BUCKET_CORS;
    this.artifacts = new Bucket(this, 'Artifacts', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logs,
      serverAccessLogsPrefix: 's3-access/',
      removalPolicy: RemovalPolicy.RETAIN,
      cors: [
        {
          allowedMethods: c.allowedMethods.map((m) => HttpMethods[m]),
          allowedOrigins: [...c.allowedOrigins],
          allowedHeaders: [...c.allowedHeaders],
          exposedHeaders: [...c.exposedHeaders],
          maxAge: c.maxAgeSeconds,
        },
      ],
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(2) },
        // Uploads wait in staging only until ingest has verified and copied them.
        {
          id: 'expire-staged-uploads',
          prefix: objectKeys.stagingRoot,
          expiration: Duration.days(2),
          noncurrentVersionExpiration: Duration.days(1),
        },
        { id: 'remove-staging-delete-markers', prefix: objectKeys.stagingRoot, expiredObjectDeleteMarker: true },
        // Verified artifacts are pinned by version id: no lifecycle rule may ever expire a version
        // under this prefix (deletes are explicit, all versions, by the delete routes).
        { id: 'remove-artifact-delete-markers', prefix: objectKeys.artifactRoot, expiredObjectDeleteMarker: true },
      ],
    });
  }
}

/**
 * CDK's singleton function that applies bucket notifications logs to `/aws/lambda/<name>`, a log
 * group Lambda creates on first invocation with no retention and that outlives the stack. This
 * points it at a log group `scope` owns (retention, destroyed with the stack). Call after the
 * first `addEventNotification`, which creates the singleton in the enclosing stack.
 */
export function ownNotificationsHandlerLogs(scope: Construct): LogGroup {
  const handler = Stack.of(scope).node.children.find((child) => child.node.id.startsWith('BucketNotificationsHandler'));
  const fn = handler?.node.tryFindChild('Resource') as CfnResource | undefined;
  if (fn?.cfnResourceType !== 'AWS::Lambda::Function') {
    throw new Error('No CDK BucketNotificationsHandler function in this stack: add the bucket notification first');
  }
  const logGroup = new LogGroup(scope, 'BucketNotificationsHandlerLogs', {
    retention: RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  fn.addPropertyOverride('LoggingConfig', { LogGroup: logGroup.logGroupName });
  return logGroup;
}
