import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { newId } from '../domain/ids.js';
import { keys } from './keys.js';
import { TABLE_DEFINITION } from './table-definition.js';

/** How long an outbox item is kept after the invalidator has seen it (the table's TTL removes it). */
const OUTBOX_TTL_SECONDS = 24 * 3600;

/**
 * Edge invalidations, made durable: a change writes the paths to purge as an outbox item before it
 * publishes, and the invalidator consumes new outbox items from the table's stream, batching and
 * retrying them (a dead-letter queue and an alarm catch what still fails).
 */
export class OutboxRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async enqueue(paths: string[]): Promise<void> {
    const unique = [...new Set(paths)];
    if (unique.length === 0) return;
    const id = newId();
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.outbox(id),
          [TABLE_DEFINITION.typeAttribute]: TABLE_DEFINITION.outboxType,
          paths: unique,
          createdAt: this.now().toISOString(),
          [TABLE_DEFINITION.timeToLiveAttribute]: Math.floor(this.now().getTime() / 1000) + OUTBOX_TTL_SECONDS,
        },
      }),
    );
  }
}
