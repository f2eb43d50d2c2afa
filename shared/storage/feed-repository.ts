import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Feed } from '../domain/feed.js';
import { keys } from './keys.js';
import { parseSlugItem, type SlugRecord } from './slug-record.js';

/**
 * The feed stored on the slug item, and the revision counter that orders concurrent rebuilds:
 * every rebuild takes a new revision from the app item *before* reading the app's releases, and
 * writes only if no newer revision has written; so the last write always saw every change.
 */
export class FeedRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Takes the next revision; undefined when the app is gone. Returns the app's current slug too. */
  async nextRevision(appId: string): Promise<{ rev: number; slug?: string } | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.app(appId),
          UpdateExpression: 'ADD rev :one',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { rev: Number(Attributes?.rev), ...(typeof Attributes?.slug === 'string' ? { slug: Attributes.slug } : {}) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /**
   * Writes the feed if the slug still belongs to the app and no newer revision wrote first.
   * Returns whether the public answer changed (so edge caches must be invalidated).
   */
  async write(slug: string, feed: Feed, rev: number): Promise<boolean> {
    const json = JSON.stringify(feed);
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.slug(slug),
          UpdateExpression: 'SET feed = :feed, feedRev = :rev',
          ConditionExpression: 'appId = :appId AND (attribute_not_exists(feedRev) OR feedRev < :rev)',
          ExpressionAttributeValues: { ':feed': json, ':rev': rev, ':appId': feed.appId },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      return Attributes?.feed !== json;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async read(slug: string): Promise<SlugRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.slug(slug) }));
    return parseSlugItem(Item?.appId as string | undefined, Item?.feed as string | undefined);
  }
}
