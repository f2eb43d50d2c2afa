import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { EdgeStateUpdate } from '../domain/edge-state.js';
import { newId } from '../domain/ids.js';
import { keys } from './keys.js';
import { TABLE_DEFINITION } from './table-definition.js';
import type { TransactItem } from './transactions.js';

/** The outbox item attribute that carries edge state updates (JSON). */
export const EDGE_STATE_ATTRIBUTE = 'edgeState';

/** How long an outbox item is kept after the edge-state writer has seen it (the table's TTL removes it). */
const OUTBOX_TTL_SECONDS = 24 * 3600;

/**
 * An app's new edge state, announced in the same transaction as the rebuild's last commit (the
 * feed items' last batch, or the download links' for an app without a slug): the answers and the
 * revision that stands for them land together, so no crash between them can leave the edge on the
 * previous revision. `fingerprint` is what the announced answers were built from: a retried rebuild
 * that finds it stored has nothing left to announce.
 */
export interface Announcement {
  readonly appId: string;
  readonly updates: readonly EdgeStateUpdate[];
  readonly fingerprint: string;
  /** The publisher's clock (ms): the outbox item's time. */
  readonly at: number;
}

/** The two writes of an announcement: the outbox item the edge-state writer consumes, and the app's announced fingerprint. */
export function announcementWrites(tableName: string, announcement: Announcement): TransactItem[] {
  return [
    edgeStateWrite(tableName, announcement.updates, announcement.at),
    {
      Put: {
        TableName: tableName,
        Item: {
          ...keys.edgeAnnounced(announcement.appId),
          type: 'edge-announced',
          fingerprint: announcement.fingerprint,
          rev: announcement.at,
        },
      },
    },
  ];
}

/** An outbox item with edge state updates, as one write of a caller's transaction (the Koolbase SDK keys' state). */
export function edgeStateWrite(tableName: string, updates: readonly EdgeStateUpdate[], at: number): TransactItem {
  return { Put: outboxPut(tableName, updates, at) };
}

function outboxPut(tableName: string, updates: readonly EdgeStateUpdate[], at: number) {
  return {
    TableName: tableName,
    Item: {
      ...keys.outbox(newId()),
      [TABLE_DEFINITION.typeAttribute]: TABLE_DEFINITION.outboxType,
      [EDGE_STATE_ATTRIBUTE]: JSON.stringify(updates),
      createdAt: new Date(at).toISOString(),
      [TABLE_DEFINITION.timeToLiveAttribute]: Math.floor(at / 1000) + OUTBOX_TTL_SECONDS,
    },
  };
}

/**
 * What the edge must learn, made durable: an item with the apps' new edge state (written once the
 * change has committed; nothing is ever purged). The edge-state writer
 * (lambdas/invalidate-edge.ts) consumes new items from the table's stream, retrying them (a
 * dead-letter queue and an alarm catch what still fails).
 */
export class OutboxRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Apps' new edge state, for the KeyValueStore the edge reads. */
  async enqueueEdgeState(updates: readonly EdgeStateUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    await this.db.send(new PutCommand(outboxPut(this.tableName, updates, this.now().getTime())));
  }
}
