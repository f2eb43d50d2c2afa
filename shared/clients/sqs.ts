import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';

let client: SQSClient | undefined;

/** The container's one SQS client; the endpoint comes from AWS_ENDPOINT_URL_SQS when local. */
export function sqsClient(): SQSClient {
  client ??= new SQSClient({});
  return client;
}

/** SendMessageBatch takes at most 10 entries (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html). */
const BATCH = 10;

/** A queue as the webhook fan-out and delivery use it: send bodies, push a received message's next receive out. */
export class SqsQueue {
  constructor(
    private readonly sqs: Pick<SQSClient, 'send'>,
    private readonly queueUrl: string,
  ) {}

  /** Sends every body (batches of 10); throws when any entry failed, so the caller's event is retried. */
  async send(bodies: readonly { id: string; body: string }[]): Promise<void> {
    for (let i = 0; i < bodies.length; i += BATCH) {
      const entries = bodies.slice(i, i + BATCH).map((b, n) => ({ Id: `m${n}`, MessageBody: b.body }));
      const { Failed } = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
      if (Failed && Failed.length > 0) throw new Error(`SQS refused ${Failed.length} webhook messages: ${Failed[0]?.Message ?? ''}`);
    }
  }

  /** The message becomes visible again (is received again) after `seconds`. */
  async delay(receiptHandle: string, seconds: number): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }),
    );
  }
}
