import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { App } from '../domain/model.js';
import { Conflict } from '../http/errors.js';
import { keys } from './keys.js';

type Item = Record<string, unknown>;

function toItem(app: App): Item {
  return {
    ...keys.app(app.id),
    GSI1PK: keys.appsByOwner(app.ownerId),
    GSI1SK: keys.appOwnerSort(app.createdAt, app.id),
    type: 'app',
    id: app.id,
    name: app.name,
    ownerId: app.ownerId,
    slug: app.slug,
    createdAt: app.createdAt,
    rev: 0,
  };
}

function fromItem(item: Item): App {
  return {
    id: String(item.id),
    name: String(item.name),
    ownerId: String(item.ownerId),
    ...(typeof item.slug === 'string' ? { slug: item.slug } : {}),
    createdAt: String(item.createdAt),
  };
}

/** Apps and their slug claims. */
export class AppRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(app: App): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: toItem(app), ConditionExpression: 'attribute_not_exists(PK)' }));
  }

  async get(appId: string): Promise<App | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.app(appId), ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  }

  /** The owner's apps, oldest first, one page of up to `limit`. */
  async listByOwner(ownerId: string, limit = 100, cursor?: Item): Promise<{ apps: App[]; next?: Item }> {
    const { Items, LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :owner',
        ExpressionAttributeValues: { ':owner': keys.appsByOwner(ownerId) },
        Limit: limit,
        ExclusiveStartKey: cursor,
      }),
    );
    return { apps: (Items ?? []).map(fromItem), ...(LastEvaluatedKey ? { next: LastEvaluatedKey } : {}) };
  }

  /**
   * Moves the app to a new slug in one transaction: claim the new slug (unique), release the old
   * one, record it on the app. The new claim starts with an empty feed that a rebuild then fills.
   */
  async changeSlug(app: App, slug: string): Promise<void> {
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.slug(slug), type: 'slug', slug, appId: app.id, feed: JSON.stringify({ appId: app.id, entries: {} }), feedRev: 0 },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: keys.app(app.id),
          UpdateExpression: 'SET slug = :slug',
          ConditionExpression: app.slug === undefined ? 'attribute_exists(PK) AND attribute_not_exists(slug)' : 'slug = :old',
          ExpressionAttributeValues: { ':slug': slug, ...(app.slug === undefined ? {} : { ':old': app.slug }) },
        },
      },
    ];
    if (app.slug !== undefined) {
      items.push({
        Delete: {
          TableName: this.tableName,
          Key: keys.slug(app.slug),
          ConditionExpression: 'appId = :appId',
          ExpressionAttributeValues: { ':appId': app.id },
        },
      });
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const [slugClaim, appUpdate] = error.CancellationReasons ?? [];
        if (slugClaim?.Code === 'ConditionalCheckFailed') throw new Conflict(`Slug "${slug}" is already taken`);
        if (appUpdate?.Code === 'ConditionalCheckFailed') throw new Conflict('The app changed meanwhile; try again');
      }
      throw error;
    }
  }

  /** Releases the slug claim if it still belongs to this app (used when deleting the app). */
  async releaseSlug(slug: string, appId: string): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: keys.slug(slug),
                ConditionExpression: 'appId = :appId',
                ExpressionAttributeValues: { ':appId': appId },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException || error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
  }
}
