import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Action } from '../domain/access.js';
import { type Item, optStr, str, strList } from './item-codec.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';

/** An API token as stored: never the token itself, only its SHA-256. */
export interface ApiTokenRecord {
  id: string;
  /** SHA-256 of the whole token, hex: the item's key. */
  hash: string;
  /** The token's first characters, shown in lists so a person can tell tokens apart. */
  prefix: string;
  name: string;
  ownerId: string;
  ownerName?: string;
  /** Who created it (a Cognito sub): the token dies with a team user who made it. */
  createdBy: string;
  apps: string[];
  actions: Action[];
  createdAt: string;
  /** ISO time after which the token is refused; absent: no expiry. */
  expiresAt?: string;
  lastUsedAt?: string;
}

/** DynamoDB's TTL removes an expired token's item a while (up to days) after its expiry; the check refuses it at once. */
function ttlOf(expiresAt: string | undefined): number | undefined {
  return expiresAt ? Math.ceil(Date.parse(expiresAt) / 1000) + 86_400 : undefined;
}

function toItem(token: ApiTokenRecord): Item {
  const ttl = ttlOf(token.expiresAt);
  return {
    ...keys.apiToken(token.hash),
    GSI1PK: keys.apiTokensOf(token.ownerId),
    GSI1SK: token.id,
    type: 'apiToken',
    id: token.id,
    prefix: token.prefix,
    name: token.name,
    ownerId: token.ownerId,
    ...(token.ownerName ? { ownerName: token.ownerName } : {}),
    createdBy: token.createdBy,
    apps: token.apps,
    actions: token.actions,
    createdAt: token.createdAt,
    ...(token.expiresAt ? { tokenExpiresAt: token.expiresAt } : {}),
    ...(ttl ? { expiresAt: ttl } : {}),
  };
}

function fromItem(item: Item): ApiTokenRecord {
  const ownerName = optStr(item, 'ownerName');
  const expiresAt = optStr(item, 'tokenExpiresAt');
  const lastUsedAt = optStr(item, 'lastUsedAt');
  return {
    id: str(item, 'id'),
    hash: str(item, 'PK').slice('APITOKEN#'.length),
    prefix: str(item, 'prefix'),
    name: str(item, 'name'),
    ownerId: str(item, 'ownerId'),
    ...(ownerName ? { ownerName } : {}),
    createdBy: str(item, 'createdBy'),
    apps: strList(item, 'apps'),
    actions: strList(item, 'actions') as Action[],
    createdAt: str(item, 'createdAt'),
    ...(expiresAt ? { expiresAt } : {}),
    ...(lastUsedAt ? { lastUsedAt } : {}),
  };
}

/** API tokens: one item per token, keyed by its hash (one read authenticates), listed per owner through GSI1. */
export class ApiTokenRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async byHash(hash: string): Promise<ApiTokenRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.apiToken(hash), ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  }

  async put(token: ApiTokenRecord): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: toItem(token), ConditionExpression: 'attribute_not_exists(PK)' }));
  }

  /** Records a use, at most once a minute per token (a write per request would double the cost of every CI call). */
  async touch(token: ApiTokenRecord, now: Date): Promise<void> {
    if (token.lastUsedAt && now.getTime() - Date.parse(token.lastUsedAt) < 60_000) return;
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.apiToken(token.hash),
          UpdateExpression: 'SET lastUsedAt = :now',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':now': now.toISOString() },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  /** The owner's tokens, newest first (ids are ULIDs, ordered by creation). */
  async listByOwner(ownerId: string): Promise<ApiTokenRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :tokens',
      ExpressionAttributeValues: { ':tokens': keys.apiTokensOf(ownerId) },
      ScanIndexForward: false,
    });
    return items.map(fromItem);
  }

  async delete(token: ApiTokenRecord): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.apiToken(token.hash) }));
  }
}
