import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Endpoint, RealtimeLogConfig } from 'aws-cdk-lib/aws-cloudfront';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/env.js';
import { EDGE_LOG_FIELDS } from '../../shared/domain/edge-log.js';
import { OtaFunction } from '../ota-function.js';
import { definitionOf } from './events.js';
import { telemetryCountStatements } from './grants.js';

export interface TelemetryProps {
  readonly table: ITableV2;
}

/**
 * Records per aggregation and the longest wait for a batch. Writes are per row per batch, so big
 * batches keep DynamoDB's share of the cost small (bench section 10); 5,000 records of up to ~1 KB
 * stay under Lambda's 6 MB invocation payload. The lag from a check to its count is about the window.
 */
export const TELEMETRY_BATCH = { size: 5000, windowSeconds: 60 } as const;

/**
 * Counting every check at the edge, hit or miss (docs/telemetry.md):
 * CloudFront real-time logs of the cached behaviours (every request, the fields of
 * shared/domain/edge-log.ts) → a one-shard Kinesis data stream → one aggregator function, which
 * merges one counter row per app and dimensions per batch into the table.
 *
 * Why real-time logs and not standard logging: the device ids are request headers (`X-Device-ID`,
 * `x-user-staging-id`), which only real-time logs carry (`cs-headers`), and standard logs arrive
 * within an hour, sometimes 24 hours, where real-time logs arrive within seconds.
 */
export class Telemetry extends Construct {
  readonly stream: Stream;
  readonly logConfig: RealtimeLogConfig;
  readonly aggregator: OtaFunction;
  readonly deadLetters: Queue;
  readonly key: Secret;

  constructor(scope: Construct, id: string, props: TelemetryProps) {
    super(scope, id);
    this.stream = new Stream(this, 'EdgeLogs', {
      streamMode: StreamMode.PROVISIONED,
      // One shard takes 1,000 records/s (about 86 million checks a day); add shards beyond that.
      shardCount: 1,
      retentionPeriod: Duration.hours(24),
      encryption: StreamEncryption.MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // The role CloudFront assumes may only describe and put records into this stream.
    this.logConfig = new RealtimeLogConfig(this, 'EdgeLogConfig', {
      endPoints: [Endpoint.fromKinesisStream(this.stream)],
      fields: [...EDGE_LOG_FIELDS],
      samplingRate: 100,
    });

    // The key device ids are hashed under: generated at deploy time, in no repository and no
    // template (a `{{resolve:secretsmanager:…}}` reference), only in this function's environment.
    this.key = new Secret(this, 'DeviceHashKey', {
      description: 'Key of the keyed hash that replaces device ids before they are counted',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const definition = definitionOf('AggregateTelemetry');
    this.aggregator = new OtaFunction(this, definition.id, {
      handler: definition.handler,
      description: definition.summary.slice(0, 256),
      environment: { [ENV.telemetryKey]: this.key.secretValue.unsafeUnwrap() },
      memorySize: 512,
      timeout: Duration.minutes(1),
    });
    if (definition.grants.join() !== 'telemetry:count') throw new Error('AggregateTelemetry: only telemetry:count is wired here');
    for (const statement of telemetryCountStatements(props.table.tableArn)) this.aggregator.addToRolePolicy(statement);

    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.aggregator.addEventSource(
      new KinesisEventSource(this.stream, {
        startingPosition: StartingPosition.LATEST,
        batchSize: TELEMETRY_BATCH.size,
        maxBatchingWindow: Duration.seconds(TELEMETRY_BATCH.windowSeconds),
        bisectBatchOnError: true,
        // Few retries: a retried batch counts its requests again (never its devices).
        retryAttempts: 2,
        maxRecordAge: Duration.hours(6),
        onFailure: new SqsDlq(this.deadLetters),
      }),
    );
    new Alarm(this, 'DeadLettersVisible', {
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `Telemetry batches that failed every retry (${Stack.of(this).stackName})`,
    });
  }
}
