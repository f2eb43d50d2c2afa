import { ArnFormat, Fn, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import {
  AwsCustomResource,
  AwsCustomResourcePolicy,
  type AwsSdkCall,
  PhysicalResourceId,
  PhysicalResourceIdReference,
} from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/**
 * CloudFront standard logging (v2) into the stack's log bucket, in any region.
 *
 * Why not the distribution's `Logging` property (standard logging, legacy): it delivers with
 * S3 ACLs and refuses buckets in opt-in regions (af-south-1, ap-east-1, eu-south-1, me-south-1, …),
 * so the stack would not deploy there. Standard logging v2 delivers through CloudWatch Logs
 * "vended logs" (delivery source → delivery → delivery destination), authorized by the bucket
 * policy, and may write to a bucket in any region, opt-in ones included.
 *
 * Why not the `AWS::Logs::DeliverySource` / `Delivery` / `DeliveryDestination` resources: for a
 * CloudFront source these calls are accepted only in us-east-1 ("PutDeliverySource action is not
 * supported for this LogType in region eu-west-1"); CloudFormation creates resources in the
 * stack's own region, so they would work only for a stack deployed in us-east-1. The same three
 * calls are therefore made against us-east-1 by a CDK AwsCustomResource, which works from a
 * stack in any region, and undone on stack deletion.
 */
export interface EdgeAccessLogsProps {
  readonly distribution: IDistribution;
  readonly bucket: Bucket;
  /** Key prefix of the log objects in the bucket. */
  readonly prefix: string;
}

/** The region whose CloudWatch Logs API configures CloudFront log delivery. */
export const CLOUDFRONT_LOG_DELIVERY_REGION = 'us-east-1';

export class EdgeAccessLogs extends Construct {
  /** Name of the delivery source and destination (unique per account: includes the stack's region). */
  readonly deliveryName: string;

  constructor(scope: Construct, id: string, props: EdgeAccessLogsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.deliveryName = Fn.join('-', [Names.uniqueResourceName(this, { maxLength: 40 }), stack.region]);
    const logsArn = (resource: string, resourceName: string) =>
      stack.formatArn({
        service: 'logs',
        region: CLOUDFRONT_LOG_DELIVERY_REGION,
        resource,
        resourceName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    const sourceArn = logsArn('delivery-source', this.deliveryName);
    const destinationArn = logsArn('delivery-destination', this.deliveryName);

    // The bucket side of the delivery: only our delivery source, from our account, may write.
    props.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudFrontAccessLogDelivery',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [props.bucket.arnForObjects('*')],
        conditions: {
          StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': sourceArn },
        },
      }),
    );

    // One log group for the CDK provider function shared by the three calls.
    const providerLogs = new LogGroup(this, 'ProviderLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const call = (action: string, parameters: Record<string, unknown>, physicalResourceId?: PhysicalResourceId): AwsSdkCall => ({
      service: 'CloudWatchLogs',
      action,
      region: CLOUDFRONT_LOG_DELIVERY_REGION,
      parameters,
      ...(physicalResourceId ? { physicalResourceId } : {}),
    });
    const resource = (
      resourceId: string,
      calls: { create: AwsSdkCall; update?: AwsSdkCall; delete: AwsSdkCall },
      statements: PolicyStatement[],
    ) =>
      new AwsCustomResource(this, resourceId, {
        onCreate: calls.create,
        ...(calls.update ? { onUpdate: calls.update } : {}),
        onDelete: calls.delete,
        policy: AwsCustomResourcePolicy.fromStatements(statements),
        installLatestAwsSdk: false,
        logGroup: providerLogs,
      });

    const putSource = call(
      'PutDeliverySource',
      { name: this.deliveryName, resourceArn: props.distribution.distributionArn, logType: 'ACCESS_LOGS' },
      PhysicalResourceId.of(this.deliveryName),
    );
    const source = resource(
      'DeliverySource',
      { create: putSource, update: putSource, delete: call('DeleteDeliverySource', { name: this.deliveryName }) },
      [
        new PolicyStatement({
          actions: ['logs:PutDeliverySource', 'logs:GetDeliverySource', 'logs:DeleteDeliverySource'],
          resources: [sourceArn],
        }),
        new PolicyStatement({ actions: ['cloudfront:AllowVendedLogDeliveryForResource'], resources: [props.distribution.distributionArn] }),
      ],
    );

    const putDestination = call(
      'PutDeliveryDestination',
      {
        name: this.deliveryName,
        outputFormat: 'json',
        deliveryDestinationConfiguration: { destinationResourceArn: props.bucket.bucketArn },
      },
      PhysicalResourceId.of(this.deliveryName),
    );
    const destination = resource(
      'DeliveryDestination',
      { create: putDestination, update: putDestination, delete: call('DeleteDeliveryDestination', { name: this.deliveryName }) },
      [
        new PolicyStatement({
          actions: ['logs:PutDeliveryDestination', 'logs:GetDeliveryDestination', 'logs:DeleteDeliveryDestination'],
          resources: [destinationArn],
        }),
        // CloudWatch Logs checks the bucket policy for its statement (and appends it when missing).
        new PolicyStatement({ actions: ['s3:GetBucketPolicy', 's3:PutBucketPolicy'], resources: [props.bucket.bucketArn] }),
      ],
    );

    const delivery = resource(
      'Delivery',
      {
        create: call(
          'CreateDelivery',
          {
            deliverySourceName: this.deliveryName,
            deliveryDestinationArn: destinationArn,
            s3DeliveryConfiguration: {
              suffixPath: `${props.prefix}{DistributionId}/{yyyy}/{MM}/{dd}/{HH}`,
              enableHiveCompatiblePath: false,
            },
          },
          PhysicalResourceId.fromResponse('delivery.id'),
        ),
        delete: call('DeleteDelivery', { id: new PhysicalResourceIdReference() }),
      },
      [
        new PolicyStatement({
          actions: ['logs:CreateDelivery', 'logs:GetDelivery', 'logs:DeleteDelivery'],
          // A delivery's id is assigned by CloudWatch Logs when it is created.
          resources: [sourceArn, destinationArn, logsArn('delivery', '*')],
        }),
      ],
    );
    delivery.node.addDependency(source, destination, props.bucket.policy ?? props.bucket);
  }
}
