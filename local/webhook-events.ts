import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StreamRecordLike } from '../shared/storage/stream-records.js';
import { TABLE_DEFINITION } from '../shared/storage/table-definition.js';
import { itemsOfType } from './items-of-type.js';
import { KickedDrain } from './kicked-drain.js';

type StreamHandler = (event: { Records: StreamRecordLike[] }) => Promise<void>;

/**
 * The webhook fan-out, locally: the cloud's table stream hands each new event item to
 * `fan-out-webhooks`; here the runner reads event items after each change (and each ingest) and
 * hands them to the same handler in stream records of the same shape, then deletes them (the
 * cloud's TTL removes them after a day; the stream has delivered them long before). A handler that
 * throws leaves the items for the next kick, as the stream retries a batch.
 */
export class LocalWebhookEvents {
  private readonly drain = new KickedDrain(() => this.fanOut());

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly load: () => Promise<StreamHandler>,
    private readonly log: (message: string, detail: Record<string, unknown>) => void = (message, detail) =>
      console.error(JSON.stringify({ level: 'ERROR', message, ...detail })),
  ) {}

  /** A change may have written event items: hand over what is there (a pass under way looks again when it ends). */
  kick(): void {
    this.drain.kick();
  }

  idle(): Promise<void> {
    return this.drain.idle();
  }

  /** Hands the event items there are to the fan-out and deletes them; true when there were some. */
  private async fanOut(): Promise<boolean> {
    const items: { key: { PK: string; SK: string }; record: StreamRecordLike }[] = [];
    for await (const item of itemsOfType(this.db, this.tableName, TABLE_DEFINITION.webhookEventType)) {
      items.push({
        key: { PK: String(item.PK), SK: String(item.SK) },
        record: {
          eventName: 'INSERT',
          dynamodb: {
            NewImage: { [TABLE_DEFINITION.typeAttribute]: { S: TABLE_DEFINITION.webhookEventType }, event: { S: String(item.event) } },
          },
        },
      });
    }
    if (items.length === 0) return false;
    // Oldest first (event ids are ULIDs).
    items.sort((a, b) => a.key.PK.localeCompare(b.key.PK));
    try {
      await (await this.load())({ Records: items.map((i) => i.record) });
    } catch (error) {
      this.log('local webhook fan-out failed; the events stay for the next change', { error: String(error) });
      return false;
    }
    for (const { key } of items) await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
    return true;
  }
}
