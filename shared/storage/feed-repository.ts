import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PlatformFeed } from '../domain/feed.js';
import { type FileLink, fileLinkId, slugFileLinkId } from '../domain/file-link.js';
import { type RolloutWatch, rolloutWatches } from '../domain/telemetry-rollouts.js';
import { type SlugClaim, slugClaimFrom } from './app-item.js';
import { decodeFeed, encodeFeed, FEED_ATTRIBUTE, fingerprint } from './feed-codec.js';
import { decodeLink, encodeLink, LINK_ATTRIBUTE, linkTextOf, type StoredLinks, storedLinkId } from './file-link-item.js';
import { type Item, optStr, str } from './item-codec.js';
import { type ItemKey, keys, slugHeldBy } from './keys.js';
import { type Announcement, announcementWrites } from './outbox-repository.js';
import { queryAll } from './query-all.js';
import { type TransactItem, transactionBatches, transactWrite } from './transactions.js';

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
  async replace(
    slug: string,
    appId: string,
    placements: FeedPlacement[],
    rev: number,
    existing: StoredFeeds,
    announcement?: Announcement,
  ): Promise<boolean> {
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
    const guards: TransactItem[] = [
      { ConditionCheck: slugHeldBy(this.tableName, slug, appId) },
      {
        Update: {
          TableName: this.tableName,
          Key: keys.publication(slug),
          // The partial rollouts the placements serve ride along, for telemetry's in/out split (telemetry-rollouts.ts).
          UpdateExpression: 'SET rev = :rev, appId = :app, rollouts = :rollouts',
          // Equal revisions are this rebuild's own earlier batches.
          ConditionExpression: 'attribute_not_exists(PK) OR appId <> :app OR rev <= :rev',
          ExpressionAttributeValues: { ':rev': rev, ':app': appId, ':rollouts': JSON.stringify(rolloutWatches(placements)) },
        },
      },
    ];
    // A rebuild that changes nothing still advances the revision (one transaction); the announcement rides the last one.
    const last = announcement ? announcementWrites(this.tableName, announcement) : [];
    const batches = transactionBatches(guards, writes, last);
    for (const batch of batches.length > 0 ? batches : [guards]) {
      if (!(await this.landed(batch))) return false;
    }
    return true;
  }

  /**
   * Makes the app's download links exactly `links`, under the app and (with a slug) under the slug:
   * writes what changed, deletes what is no longer published. Each batch lands only while the app's
   * revision is still `rev` (and the slug still the app's), so a rebuild that lost to a newer one
   * writes nothing more; returns false then. `stored`: the links there are, under the app (read with
   * its collection) and under the slug (storedLinks).
   */
  async replaceLinks(
    appId: string,
    slug: string | undefined,
    links: readonly FileLink[],
    rev: number,
    stored: StoredLinks,
    announcement?: Announcement,
  ): Promise<boolean> {
    const desired = new Map<string, { key: ItemKey; text: string }>();
    for (const link of links) {
      const text = encodeLink(link);
      // Under the app by the ids alone (one file per link); under the slug by the ids its URL carries and the name it asks for.
      const own = link.via === undefined ? [keys.appFileLink(appId, fileLinkId(link.releaseId, link.file.artifactId))] : [];
      const named =
        slug && link.name !== undefined
          ? [keys.slugFileLink(slug, slugFileLinkId(link.releaseId, link.via ?? link.file.artifactId, link.name))]
          : [];
      for (const key of [...own, ...named]) desired.set(storedLinkId(key), { key, text });
    }
    const writes: TransactItem[] = [];
    for (const [id, { key, text }] of desired) {
      if (stored.get(id) !== text)
        writes.push({ Put: { TableName: this.tableName, Item: { ...key, type: 'link', appId, [LINK_ATTRIBUTE]: text } } });
    }
    for (const id of stored.keys()) {
      const [PK = '', SK = ''] = id.split('|');
      if (!desired.has(id)) writes.push({ Delete: { TableName: this.tableName, Key: { PK, SK } } });
    }
    const guards: TransactItem[] = [
      {
        ConditionCheck: {
          TableName: this.tableName,
          Key: keys.app(appId),
          ConditionExpression: 'rev = :rev AND attribute_not_exists(deleting)',
          ExpressionAttributeValues: { ':rev': rev },
        },
      },
      ...(slug ? [{ ConditionCheck: slugHeldBy(this.tableName, slug, appId) }] : []),
    ];
    for (const batch of transactionBatches(guards, writes, announcement ? announcementWrites(this.tableName, announcement) : [])) {
      if (!(await this.landed(batch))) return false;
    }
    return true;
  }

  /** Sends one guarded transaction; false when a guard failed (a newer rebuild or a slug change won). */
  private async landed(batch: TransactItem[]): Promise<boolean> {
    try {
      await transactWrite(this.db, batch);
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')) {
        return false;
      }
      throw error;
    }
  }

  /** A published file's download link under a slug (eventually consistent, like the lean read). */
  async slugLink(slug: string, linkId: string): Promise<FileLink | undefined> {
    return this.link(keys.slugFileLink(slug, linkId));
  }

  /** A published file's download link under its app. */
  async appLink(appId: string, linkId: string): Promise<FileLink | undefined> {
    return this.link(keys.appFileLink(appId, linkId));
  }

  private async link(key: ItemKey): Promise<FileLink | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key }));
    return Item ? decodeLink(linkTextOf(Item)) : undefined;
  }

  /** Which app publishes under a slug. */
  async claim(slug: string): Promise<SlugClaim | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.slug(slug) }));
    return slugClaimFrom(Item);
  }

  /** The partial rollouts the last rebuild published under the slug, and the app it published them for. */
  async publishedRollouts(slug: string): Promise<{ appId: string; rollouts: RolloutWatch[] } | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.publication(slug) }));
    if (typeof Item?.appId !== 'string') return undefined;
    // Telemetry reads this for every batch: an item of another shape means no split, never a failed batch.
    return { appId: Item.appId, rollouts: decodeWatches(typeof Item.rollouts === 'string' ? Item.rollouts : undefined) };
  }

  /** The app's download links stored under a slug (storedLinkId → link text), as replaceLinks compares them. */
  async storedLinks(slug: string, appId: string): Promise<StoredLinks> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :link)',
      ExpressionAttributeValues: { ':pk': keys.slugCollection(slug), ':link': keys.slugFileLinkPrefix, ':app': appId },
      FilterExpression: 'appId = :app',
      ConsistentRead: true,
    });
    return new Map(items.map((item) => [storedLinkId(item), linkTextOf(item)]));
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

/** The publication item's rollouts (JSON, written by `replace`); an entry of another shape, or text that is not JSON, counts as none. */
function decodeWatches(text: string | undefined): RolloutWatch[] {
  if (text === undefined) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  const optionalText = (v: unknown) => v === undefined || typeof v === 'string';
  return value.filter(
    (w): w is RolloutWatch =>
      typeof w === 'object' &&
      w !== null &&
      typeof w.id === 'string' &&
      typeof w.version === 'string' &&
      typeof w.percent === 'number' &&
      optionalText(w.from) &&
      optionalText(w.until) &&
      Array.isArray(w.feeds) &&
      w.feeds.every((f: unknown) => typeof f === 'string'),
  );
}
