import { Duration, RemovalPolicy } from 'aws-cdk-lib';
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
      // CloudFront standard logs are delivered with ACLs.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
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
        // Downloads pin the verified version; overwritten or deleted versions are kept a while for recovery.
        {
          id: 'expire-old-versions',
          prefix: objectKeys.artifactRoot,
          noncurrentVersionExpiration: Duration.days(30),
          expiredObjectDeleteMarker: true,
        },
      ],
    });
  }
}
