import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PlatformFeed } from '../domain/feed.js';
import { type SlugClaim, slugClaimFrom } from './app-item.js';
import { decodeFeed, encodeFeed, FEED_ATTRIBUTE, fingerprint } from './feed-codec.js';
import { type Item, optStr, str } from './item-codec.js';
import { type ItemKey, keys, slugHeldBy } from './keys.js';
import { queryAll } from './query-all.js';
import { type TransactItem, transactWrite } from './transactions.js';

/** A feed item to publish: where (channel name, "" for the default alias) and what. */
export interface FeedPlacement {
  channel: string;
  feed: PlatformFeed;
}

/** The app's state a rebuild needs: its next revision and its slug. */
export interface Revision {
  rev: number;
  ownerId: string;
  slug?: string;
}

/** What is stored under a slug: feed sort key → fingerprint of its encoded feed, and the app that wrote it. */
export type StoredFeeds = Map<string, { fingerprint: string; appId: string }>;

function binary(item: Item, name: string): Uint8Array {
  const value = item[name];
  if (!(value instanceof Uint8Array)) throw new Error(`Stored item ${String(item.PK)}/${String(item.SK)}: ${name} is not binary`);
  return value;
}

/** Items per transaction: DynamoDB's limit is 100; two go to the slug-claim check and the revision. */
const BATCH = 98;

/**
 * The published feeds under a slug, written only while the slug still belongs to the app.
 * Concurrent rebuilds are ordered by a revision taken from the app item *before* the rebuild reads
 * the app's releases: a write only lands over an older revision, so the last write saw every change.
 */
export type { SlugClaim };

export class FeedRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Takes the next revision; undefined when the app is gone or being deleted. */
  async nextRevision(appId: string): Promise<Revision | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.app(appId),
          UpdateExpression: 'ADD rev :one',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(deleting)',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      if (!Attributes) return undefined;
      const slug = optStr(Attributes, 'slug');
      return { rev: Number(Attributes.rev), ownerId: str(Attributes, 'ownerId'), ...(slug ? { slug } : {}) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /** The feed items currently stored under a slug: sort key → fingerprint of the stored feed, and its app. */
  async stored(slug: string): Promise<StoredFeeds> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :feed)',
      ExpressionAttributeValues: { ':pk': keys.slugCollection(slug), ':feed': keys.feedPrefix },
      ConsistentRead: true,
    });
    return new Map(
      items.map((item) => [str(item, 'SK'), { fingerprint: fingerprint(binary(item, FEED_ATTRIBUTE)), appId: str(item, 'appId') }]),
    );
  }

  /**
   * Makes the slug's feed items exactly `placements`: writes what changed, deletes what is no longer
   * published. Every batch (and a rebuild that changes nothing, alone) also advances the slug's
   * publication revision, conditionally: a rebuild lands only while the slug claim names the app and
   * no newer rebuild has published. Returns false when superseded (a newer rebuild or a slug change won).
   */
  async replace(slug: string, appId: string, placements: FeedPlacement[], rev: number, existing: StoredFeeds): Promise<boolean> {
    const desired = new Map<string, { key: ItemKey; encoded: Buffer }>();
    for (const { channel, feed } of placements) {
      const key = keys.feed(slug, channel, feed.platform, feed.arch);
      desired.set(key.SK, { key, encoded: encodeFeed(feed) });
    }
    const writes: TransactItem[] = [];
    for (const [sk, { key, encoded }] of desired) {
      if (existing.get(sk)?.fingerprint === fingerprint(encoded) && existing.get(sk)?.appId === appId) continue;
      writes.push({ Put: { TableName: this.tableName, Item: { ...key, type: 'feed', appId, [FEED_ATTRIBUTE]: encoded, feedRev: rev } } });
    }
    for (const sk of existing.keys()) {
      if (!desired.has(sk)) writes.push({ Delete: { TableName: this.tableName, Key: { PK: keys.slugCollection(slug), SK: sk } } });
    }
    for (let i = 0; i === 0 || i < writes.length; i += BATCH) {
      try {
        await transactWrite(this.db, [
          {
            ConditionCheck: slugHeldBy(this.tableName, slug, appId),
          },
          {
            Update: {
              TableName: this.tableName,
              Key: keys.publication(slug),
              UpdateExpression: 'SET rev = :rev, appId = :app',
              // Equal revisions are this rebuild's own earlier batches.
              ConditionExpression: 'attribute_not_exists(PK) OR appId <> :app OR rev <= :rev',
              ExpressionAttributeValues: { ':rev': rev, ':app': appId },
            },
          },
          ...writes.slice(i, i + BATCH),
        ]);
      } catch (error) {
        if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')) {
          return false;
        }
        throw error;
      }
    }
    return true;
  }

  /** Which app publishes under a slug. */
  async claim(slug: string): Promise<SlugClaim | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.slug(slug) }));
    return slugClaimFrom(Item);
  }

  /** Every platform/arch feed of one channel under a slug (channel "" = the app's default), in one query. */
  async channelFeeds(slug: string, channel: string): Promise<PlatformFeed[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :channel)',
      ExpressionAttributeValues: { ':pk': keys.slugCollection(slug), ':channel': keys.feedChannelPrefix(channel) },
      ProjectionExpression: FEED_ATTRIBUTE,
    });
    return items.flatMap((item) => decodeFeed(binary(item, FEED_ATTRIBUTE)) ?? []);
  }

  /** One published feed (eventually consistent, like the check's read). */
  async read(slug: string, channel: string, platform: string, arch: string): Promise<PlatformFeed | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.feed(slug, channel, platform, arch), ProjectionExpression: FEED_ATTRIBUTE }),
    );
    return decodeFeed(Item ? binary(Item, FEED_ATTRIBUTE) : undefined);
  }
}
