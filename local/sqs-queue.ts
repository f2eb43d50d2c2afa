import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

type Consumer = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

interface Message {
  messageId: string;
  body: string;
  sentAt: number;
  receiveCount: number;
  receiptHandle?: string;
  visibleAt: number;
}

export interface LocalQueueOptions {
  name: string;
  /** Seconds a received message stays invisible unless its consumer changes it. */
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter list (the redrive policy's maxReceiveCount). */
  maxReceiveCount: number;
  batchSize: number;
  log?: (message: string, detail: Record<string, unknown>) => void;
}

/**
 * One SQS queue with an event source mapping, in memory: what the webhook delivery relies on
 * (visibility timeout, ChangeMessageVisibility, ApproximateReceiveCount, ReportBatchItemFailures,
 * a dead-letter list after maxReceiveCount receives). Not kept across restarts.
 */
export class LocalQueue {
  readonly url: string;
  private readonly messages: Message[] = [];
  private readonly deadLetters: Message[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    endpoint: string,
    private readonly options: LocalQueueOptions,
    private readonly consumer: Consumer,
  ) {
    this.url = `${endpoint}/000000000000/${options.name}`;
  }

  send(body: string): string {
    const messageId = randomUUID();
    this.messages.push({ messageId, body, sentAt: Date.now(), receiveCount: 0, visibleAt: 0 });
    this.schedule();
    return messageId;
  }

  changeVisibility(receiptHandle: string, seconds: number): boolean {
    const message = this.messages.find((m) => m.receiptHandle === receiptHandle);
    if (!message) return false;
    message.visibleAt = Date.now() + seconds * 1000;
    this.schedule();
    return true;
  }

  stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    return this.running ?? Promise.resolve();
  }

  /** Polls again when the next message becomes visible. */
  private schedule(): void {
    if (this.stopped || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    if (this.messages.length === 0) return;
    const next = Math.min(...this.messages.map((m) => m.visibleAt));
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.running = this.poll().finally(() => {
          this.running = undefined;
          this.schedule();
        });
      },
      Math.max(0, next - Date.now()),
    );
  }

  private async poll(): Promise<void> {
    const now = Date.now();
    const batch: Message[] = [];
    for (const message of [...this.messages]) {
      if (message.visibleAt > now || batch.length >= this.options.batchSize) continue;
      if (message.receiveCount >= this.options.maxReceiveCount) {
        this.messages.splice(this.messages.indexOf(message), 1);
        this.deadLetters.push(message);
        this.options.log?.('local queue: message moved to the dead-letter list', {
          queue: this.options.name,
          messageId: message.messageId,
        });
        continue;
      }
      message.receiveCount += 1;
      message.receiptHandle = randomUUID();
      message.visibleAt = now + this.options.visibilityTimeoutSeconds * 1000;
      batch.push(message);
    }
    if (batch.length === 0) return;
    let failed: Set<string>;
    try {
      const result = await this.consumer({ Records: batch.map((m) => this.record(m)) });
      failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      this.options.log?.('local queue: the consumer threw; the batch comes back after its visibility timeout', { error: String(error) });
      return;
    }
    for (const message of batch) {
      if (!failed.has(message.messageId)) this.messages.splice(this.messages.indexOf(message), 1);
    }
  }

  private record(message: Message): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: message.receiptHandle ?? '',
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(message.sentAt),
      },
      messageAttributes: {},
      md5OfBody: md5(message.body),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${this.options.name}`,
      awsRegion: 'local',
    };
  }
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/**
 * The SQS API as far as the functions call it (SendMessageBatch, SendMessage,
 * ChangeMessageVisibility; AWS JSON 1.0), over local queues, so the same SDK client runs against it
 * with only the endpoint changed (AWS_ENDPOINT_URL_SQS).
 */
export class LocalSqs {
  private readonly queues = new Map<string, LocalQueue>();
  private server: Server | undefined;
  endpoint = '';

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => reply(response, 500, { __type: 'InternalFailure', message: String(error) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    this.endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    this.server = server;
  }

  createQueue(options: LocalQueueOptions, consumer: Consumer): LocalQueue {
    const queue = new LocalQueue(this.endpoint, options, consumer);
    this.queues.set(new URL(queue.url).pathname, queue);
    return queue;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.stop()));
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    const operation = String(request.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
    const queue = this.queues.get(new URL(String(input.QueueUrl ?? ''), this.endpoint).pathname);
    if (!queue)
      return reply(response, 400, { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });
    switch (operation) {
      case 'SendMessage': {
        const body = String(input.MessageBody);
        return reply(response, 200, { MessageId: queue.send(body), MD5OfMessageBody: md5(body) });
      }
      case 'SendMessageBatch': {
        const entries = (input.Entries ?? []) as { Id: string; MessageBody: string }[];
        const successful = entries.map((e) => ({ Id: e.Id, MessageId: queue.send(e.MessageBody), MD5OfMessageBody: md5(e.MessageBody) }));
        return reply(response, 200, { Successful: successful, Failed: [] });
      }
      case 'ChangeMessageVisibility':
        if (!queue.changeVisibility(String(input.ReceiptHandle), Number(input.VisibilityTimeout))) {
          return reply(response, 400, { __type: 'com.amazonaws.sqs#ReceiptHandleIsInvalid', message: 'The receipt handle is not valid.' });
        }
        return reply(response, 200, {});
      default:
        return reply(response, 400, { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: `${operation} is not emulated locally` });
    }
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
  response.end(JSON.stringify(body));
}
