import { Duration, NestedStack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { LambdaDestination as LambdaFailureDestination, SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type Bucket, EventType } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination as BucketLambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV } from '../../shared/config/env.js';
import { JOB_STEP_RETRY_ATTEMPTS } from '../../shared/domain/job.js';
import { MAX_DELIVERY_ATTEMPTS } from '../../shared/domain/webhook.js';
import { EDGE_TTL_SECONDS } from '../../shared/http/edge.js';
import type { EventFunctionDefinition } from '../../shared/http/route-definition.js';
import { EVENT_FUNCTIONS } from '../../shared/routes.js';
import { objectKeys } from '../../shared/storage/keys.js';
import { TABLE_DEFINITION } from '../../shared/storage/table-definition.js';
import { OtaFunction } from '../ota-function.js';
import { bindGrants, type GrantTargets } from './grants.js';

export interface EventFunctionsProps {
  readonly table: ITableV2;
  readonly artifacts: Bucket;
  readonly grantTargets: GrantTargets;
  readonly environment: Record<string, string>;
  /**
   * Ingest's reserved concurrency: at most this many ingests run at once, so a burst of uploads
   * cannot take the account's concurrency from the route functions (docs/operations.md#concurrency).
   * `undefined`: uncapped.
   */
  readonly ingestConcurrency?: number;
}

/** Default cap on concurrent ingests (each 2 GB, up to 15 minutes). */
export const DEFAULT_INGEST_CONCURRENCY = 10;

/** Retries of an ingest before its event goes to IngestFailed (verification is deterministic; retries cover throttling and timeouts). */
export const INGEST_RETRY_ATTEMPTS = 2;

/**
 * The functions run by events rather than routes, with their failure paths:
 * - IngestArtifact: every object created under `staging/`; after its retries the event goes to
 *   IngestFailed (a Lambda destination), whose own failures land in a dead-letter queue;
 * - InvalidateEdge: new outbox items from the table stream, batched; records it cannot process
 *   after its retries land in a dead-letter queue.
 * - RunJob: writes of active background jobs' items from the table stream, one step per record;
 *   a record that still fails after its retries lands in a dead-letter queue.
 * - FanOutWebhooks: new webhook event items from the table stream, one SQS message per subscribed
 *   webhook; DeliverWebhook consumes that queue (see `webhooks`).
 * Every dead-letter queue and the ingest errors have an alarm.
 */
export class EventFunctions extends NestedStack {
  readonly functions: Record<string, OtaFunction> = {};
  readonly deadLetterQueues: Queue[] = [];
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: EventFunctionsProps) {
    super(scope, id, { description: 'OTA update server: event functions (artifact ingest, edge invalidation, background jobs, webhooks)' });
    // AggregateTelemetry is wired to its Kinesis stream in infra/constructs/telemetry.ts (the distribution's log source).
    const wired = ['IngestArtifact', 'IngestFailed', 'InvalidateEdge', 'RunJob', 'AggregateTelemetry', 'FanOutWebhooks', 'DeliverWebhook'];
    const unwired = EVENT_FUNCTIONS.filter((d) => !wired.includes(d.id)).map((d) => d.id);
    if (unwired.length > 0) throw new Error(`Event functions with no event wired in infra: ${unwired.join(', ')}`);
    const fn = (functionId: string, options: { memorySize: number; timeout: Duration; reservedConcurrency?: number }): OtaFunction => {
      const definition = definitionOf(functionId);
      const created = new OtaFunction(this, definition.id, {
        handler: definition.handler,
        description: definition.summary.slice(0, 256),
        environment: props.environment,
        ...options,
      });
      bindGrants(created, definition.grants, props.grantTargets);
      this.functions[definition.id] = created;
      return created;
    };

    // Ingest hashes whole artifacts: memory buys network and CPU.
    // Large artifacts (up to 20 GiB in parts): more memory is more CPU for the hashing pass.
    // Throttled S3 events are not lost: Lambda keeps retrying an asynchronous event up to its
    // maximum age (6 hours below), https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
    const ingest = fn('IngestArtifact', {
      memorySize: 2048,
      timeout: Duration.minutes(15),
      ...(props.ingestConcurrency !== undefined ? { reservedConcurrency: props.ingestConcurrency } : {}),
    });
    const ingestFailed = fn('IngestFailed', { memorySize: 256, timeout: Duration.seconds(30) });
    const invalidate = fn('InvalidateEdge', { memorySize: 256, timeout: Duration.minutes(1) });

    props.artifacts.addEventNotification(EventType.OBJECT_CREATED, new BucketLambdaDestination(ingest), {
      prefix: objectKeys.stagingRoot,
    });
    ingest.configureAsyncInvoke({
      retryAttempts: INGEST_RETRY_ATTEMPTS,
      maxEventAge: Duration.hours(6),
      onFailure: new LambdaFailureDestination(ingestFailed, { responseOnly: false }),
    });
    const ingestDeadLetters = this.deadLetterQueue('IngestFailedDeadLetters');
    ingestFailed.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(ingestDeadLetters) });
    this.alarm('IngestErrors', ingest.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), 'IngestArtifact invocations failed');
    this.alarm(
      'IngestFailedErrors',
      ingestFailed.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      'IngestFailed could not record an ingest failure',
    );

    fn('RunJob', { memorySize: 512, timeout: Duration.minutes(2) });
    this.jobWorker(props.table);
    this.webhooks(props.table, fn);

    const invalidationDeadLetters = this.deadLetterQueue('InvalidationDeadLetters');
    invalidate.addEventSource(
      new DynamoEventSource(props.table, {
        // The stream keeps 24 hours: start from the oldest record so no outbox item is skipped.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(5),
        bisectBatchOnError: true,
        retryAttempts: 10,
        // Past the edge TTL the cached answers have expired anyway: give up and keep the record.
        maxRecordAge: Duration.seconds(EDGE_TTL_SECONDS),
        onFailure: new SqsDlq(invalidationDeadLetters),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { [TABLE_DEFINITION.typeAttribute]: { S: FilterRule.isEqual(TABLE_DEFINITION.outboxType) } } },
          }),
        ],
      }),
    );
  }

  /**
   * The job worker: each write of a queued or running job's item is one step to run. One record per
   * invocation (a step is bounded to end well inside the timeout); records of one job arrive in
   * order (one item, one shard), and up to 10 batches of a shard run at once, so one owner's long
   * job does not hold up another's. A crash or timeout retries the record, which resumes from the
   * job's recorded cursor.
   */
  private jobWorker(table: ITableV2): void {
    const worker = this.functions.RunJob;
    if (!worker) throw new Error('RunJob must be created before its event source');
    const jobDeadLetters = this.deadLetterQueue('JobDeadLetters');
    worker.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 1,
        parallelizationFactor: 10,
        retryAttempts: JOB_STEP_RETRY_ATTEMPTS,
        maxRecordAge: Duration.hours(6),
        onFailure: new SqsDlq(jobDeadLetters),
        filters: [
          FilterCriteria.filter({
            dynamodb: {
              NewImage: {
                [TABLE_DEFINITION.typeAttribute]: { S: FilterRule.isEqual(TABLE_DEFINITION.jobType) },
                [TABLE_DEFINITION.jobStateAttribute]: { S: FilterRule.or('queued', 'running') },
              },
            },
          }),
        ],
      }),
    );
  }

  /**
   * Webhooks: event items (written in the transaction of each change) reach FanOutWebhooks through
   * the table stream; it sends one message per subscribed webhook to the delivery queue, which
   * DeliverWebhook consumes with ReportBatchItemFailures. A failed try sets the message's visibility
   * timeout to the backoff (ChangeMessageVisibility) and reports the item, so SQS hands it over again
   * after that delay (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html,
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html);
   * after MAX_DELIVERY_ATTEMPTS receives the redrive policy moves it to the dead-letter queue
   * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html),
   * whose alarm fires on its first message.
   */
  private webhooks(table: ITableV2, fn: (id: string, options: { memorySize: number; timeout: Duration }) => OtaFunction): void {
    const fanOut = fn('FanOutWebhooks', { memorySize: 256, timeout: Duration.seconds(30) });
    const deliver = fn('DeliverWebhook', { memorySize: 256, timeout: Duration.minutes(1) });
    const failedDeliveries = this.deadLetterQueue('WebhookDeadLetters');
    const deliveries = new Queue(this, 'WebhookDeliveries', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // At least six times the function timeout, as Lambda's SQS guide advises; failed tries set their own (the backoff).
      visibilityTimeout: Duration.minutes(6),
      // The retries' delays add up to about 23 hours; four days keeps every message until its last try.
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: failedDeliveries, maxReceiveCount: MAX_DELIVERY_ATTEMPTS },
    });
    deliveries.grantSendMessages(fanOut);
    fanOut.addEnvironment(ENV.webhookQueueUrl, deliveries.queueUrl);
    deliver.addEnvironment(ENV.webhookQueueUrl, deliveries.queueUrl);
    const fanOutDeadLetters = this.deadLetterQueue('WebhookFanOutDeadLetters');
    fanOut.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 25,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(6),
        onFailure: new SqsDlq(fanOutDeadLetters),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { [TABLE_DEFINITION.typeAttribute]: { S: FilterRule.isEqual(TABLE_DEFINITION.webhookEventType) } } },
          }),
        ],
      }),
    );
    // Five tries of at most 10 s each fit the one-minute timeout.
    deliver.addEventSource(new SqsEventSource(deliveries, { batchSize: 5, reportBatchItemFailures: true }));
  }

  /** An encrypted, TLS-only queue that keeps failed events for two weeks, with an alarm on its first message. */
  private deadLetterQueue(id: string): Queue {
    const queue = new Queue(this, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.alarm(
      `${id}Visible`,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      `${id} holds events that failed every retry`,
    );
    this.deadLetterQueues.push(queue);
    return queue;
  }

  private alarm(id: string, metric: IMetric, description: string): void {
    this.alarms.push(
      new Alarm(this, id, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }),
    );
  }
}

export function definitionOf(id: string): EventFunctionDefinition {
  const definition = EVENT_FUNCTIONS.find((d) => d.id === id);
  if (!definition) throw new Error(`No event function ${id} in EVENT_FUNCTIONS`);
  return definition;
}
