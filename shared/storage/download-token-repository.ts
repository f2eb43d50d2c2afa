import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DownloadToken, DownloadTokenGrant } from '../domain/download-token.js';
import { NotFound } from '../domain/errors.js';
import { GRANT_ATTRIBUTES, type GrantLookup, grantFromItem, grantKey } from './download-token-item.js';
import { defined, type Item, optStr, str } from './item-codec.js';
import { keys } from './keys.js';
import { LimitCounter } from './limit-counter.js';
import { queryAll } from './query-all.js';
import { TABLE_DEFINITION } from './table-definition.js';

/** Expired tokens stay listed (marked expired) this long before the table's TTL removes their items. */
const KEEP_EXPIRED_SECONDS = 30 * 24 * 3600;

function ttlOf(token: DownloadToken): number {
  return Math.floor(Date.parse(token.validUntil) / 1000) + KEEP_EXPIRED_SECONDS;
}

function recordToItem(token: DownloadToken): Item {
  return defined({
    ...keys.appDownloadToken(token.appId, token.id),
    [TABLE_DEFINITION.typeAttribute]: 'download-token-record',
    id: token.id,
    appId: token.appId,
    hash: token.hash,
    prefix: token.prefix,
    name: token.name,
    channelId: token.channelId,
    validUntil: token.validUntil,
    createdAt: token.createdAt,
    [TABLE_DEFINITION.timeToLiveAttribute]: ttlOf(token),
  });
}

function recordFromItem(item: Item): DownloadToken {
  const name = optStr(item, 'name');
  const channelId = optStr(item, 'channelId');
  return {
    id: str(item, 'id'),
    appId: str(item, 'appId'),
    hash: str(item, 'hash'),
    prefix: str(item, 'prefix'),
    ...(name !== undefined ? { name } : {}),
    ...(channelId !== undefined ? { channelId } : {}),
    validUntil: str(item, 'validUntil'),
    createdAt: str(item, 'createdAt'),
  };
}

/**
 * Download tokens: a lookup item per token keyed by its hash (what a check reads, one GetItem) and
 * a record in the app's item collection (what its owner lists; deleted with the app). Both are
 * written and deleted together, and both expire through the table's TTL after the token does.
 */
export class DownloadTokenRepository implements GrantLookup {
  private readonly counter: LimitCounter;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.counter = new LimitCounter(db, tableName);
  }

  /**
   * Stores a new token when the app holds fewer than `limit` (false otherwise: the count and the
   * token are written in one transaction, so the limit holds under any number of creations at
   * once); 404 when the app is gone or being deleted.
   */
  async create(token: DownloadToken, limit: number): Promise<boolean> {
    const scope = { key: keys.appDownloadTokenCount(token.appId), limit, recount: async () => (await this.list(token.appId)).length };
    try {
      const outcome = await this.counter.create(scope, [
        {
          ConditionCheck: {
            TableName: this.tableName,
            Key: keys.app(token.appId),
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(deleting)',
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: defined({
              ...grantKey(token.hash),
              [TABLE_DEFINITION.typeAttribute]: 'download-token',
              tokenId: token.id,
              [GRANT_ATTRIBUTES.appId]: token.appId,
              [GRANT_ATTRIBUTES.channelId]: token.channelId,
              [GRANT_ATTRIBUTES.validUntil]: token.validUntil,
              [TABLE_DEFINITION.timeToLiveAttribute]: ttlOf(token),
            }),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        { Put: { TableName: this.tableName, Item: recordToItem(token), ConditionExpression: 'attribute_not_exists(PK)' } },
      ]);
      return outcome === 'created';
    } catch (error) {
      // Reasons: the counter's first, then the app's check.
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[1]?.Code === 'ConditionalCheckFailed') {
        throw new NotFound(`App ${token.appId} not found`);
      }
      throw error;
    }
  }

  /** The app's tokens (expired ones until the TTL removes them), oldest first. */
  async list(appId: string): Promise<DownloadToken[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :tokens)',
      ExpressionAttributeValues: { ':pk': keys.appCollection(appId), ':tokens': keys.appDownloadTokenPrefix },
      ConsistentRead: true,
    });
    return items.map(recordFromItem);
  }

  async get(appId: string, tokenId: string): Promise<DownloadToken | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.appDownloadToken(appId, tokenId), ConsistentRead: true }),
    );
    return Item ? recordFromItem(Item) : undefined;
  }

  /** Deletes a token's two items (and counts it off) at once: from then on it opens nothing. 404 when it is already gone. */
  async revoke(token: DownloadToken): Promise<void> {
    await this.counter.deleteCounted(
      keys.appDownloadTokenCount(token.appId),
      [
        {
          Delete: {
            TableName: this.tableName,
            Key: keys.appDownloadToken(token.appId, token.id),
            ConditionExpression: 'attribute_exists(PK)',
          },
        },
        { Delete: { TableName: this.tableName, Key: grantKey(token.hash) } },
      ],
      () => new NotFound('Download token not found'),
    );
  }

  /** What a check reads of a token: one GetItem of its lookup item, eventually consistent, only the grant's attributes. */
  async grant(hash: string): Promise<DownloadTokenGrant | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: grantKey(hash),
        ProjectionExpression: Object.values(GRANT_ATTRIBUTES).join(', '),
      }),
    );
    return grantFromItem(Item);
  }
}
