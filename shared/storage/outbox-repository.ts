import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { EdgeStateUpdate } from '../domain/edge-state.js';
import { newId } from '../domain/ids.js';
import { keys } from './keys.js';
import { TABLE_DEFINITION } from './table-definition.js';

/** The outbox item attribute that carries edge state updates (JSON). */
export const EDGE_STATE_ATTRIBUTE = 'edgeState';

/** How long an outbox item is kept after the invalidator has seen it (the table's TTL removes it). */
const OUTBOX_TTL_SECONDS = 24 * 3600;

/**
 * What the edge must learn, made durable: an item with the apps' new edge state (written once the
 * change has committed), or with paths to purge (the Koolbase check only). The edge-state writer
 * (lambdas/invalidate-edge.ts) consumes new items from the table's stream, retrying them (a
 * dead-letter queue and an alarm catch what still fails).
 */
export class OutboxRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Paths to purge (the Koolbase check's answers, keyed by SDK key rather than by an app's revision). */
  async enqueue(paths: string[]): Promise<void> {
    const unique = [...new Set(paths)];
    if (unique.length === 0) return;
    await this.put({ paths: unique });
  }

  /** Apps' new edge state, for the KeyValueStore the edge reads. */
  async enqueueEdgeState(updates: readonly EdgeStateUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    await this.put({ [EDGE_STATE_ATTRIBUTE]: JSON.stringify(updates) });
  }

  private async put(content: Record<string, unknown>): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.outbox(newId()),
          [TABLE_DEFINITION.typeAttribute]: TABLE_DEFINITION.outboxType,
          ...content,
          createdAt: this.now().toISOString(),
          [TABLE_DEFINITION.timeToLiveAttribute]: Math.floor(this.now().getTime() / 1000) + OUTBOX_TTL_SECONDS,
        },
      }),
    );
  }
}
