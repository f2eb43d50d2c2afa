import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict } from '../domain/errors.js';

/** The message of a refused duplicate app name (faynoSync's own words). */
export const APP_NAME_TAKEN = 'app with this name already exists';

import type { App } from '../domain/model.js';
import { DEFAULT_SLUG_HOLD_DAYS, type SlugHold, slugCandidates, slugHoldEnd, slugHoldRefusal } from '../domain/slug.js';
import { APP_FLAGS, appFromItem, appToItem } from './app-item.js';
import { optStr, str } from './item-codec.js';
import { type ItemKey, keys } from './keys.js';
import { queryAll } from './query-all.js';
import { TABLE_DEFINITION } from './table-definition.js';
import { type TransactItem, transactWrite } from './transactions.js';

/** Slugs tried for an app created with one derived from its name: its own, then with random suffixes. */
const SLUG_ATTEMPTS = 6;

/**
 * Apps, their slug claims and the deletion guard that keeps the two consistent. A slug an app lets
 * go (deleted, or moved to another slug) stays held for its owner `slugHoldDays` days: the item
 * keeps the owner and the end, and only that owner may claim it before then.
 */
export class AppRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly slugHoldDays = DEFAULT_SLUG_HOLD_DAYS,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Stores a new app and claims its name for the owner in one transaction; 409 when the owner has an
   * app of that name. With `deriveSlug` the app also claims, in the same transaction, a slug derived
   * from its name (a short random suffix when that is taken or held); the app is returned with it.
   */
  async create(app: App, options: { deriveSlug?: boolean } = {}): Promise<App> {
    const slugs = options.deriveSlug ? slugCandidates(app.name, SLUG_ATTEMPTS) : [undefined];
    for (const slug of slugs) {
      const next = slug === undefined ? app : { ...app, slug };
      try {
        await transactWrite(this.db, [
          { Put: { TableName: this.tableName, Item: appToItem(next), ConditionExpression: 'attribute_not_exists(PK)' } },
          this.claimName(next),
          ...(slug === undefined ? [] : [this.claimSlugStep(slug, next)]),
        ]);
        return next;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [, name, slugClaim] = error.CancellationReasons ?? [];
        if (name?.Code === 'ConditionalCheckFailed') throw new Conflict(APP_NAME_TAKEN);
        if (slugClaim?.Code !== 'ConditionalCheckFailed') throw error;
      }
    }
    throw new Conflict(`No free slug found for "${app.name}": create the app under another name, or try again`);
  }

  /** Claims a slug for the app: free, held by this app's owner, or held past its end. */
  private claimSlugStep(slug: string, app: App): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.slug(slug), type: 'slug', slug, appId: app.id, ownerId: app.ownerId },
        ConditionExpression: 'attribute_not_exists(PK) OR (attribute_not_exists(appId) AND (ownerId = :owner OR heldUntil <= :now))',
        ExpressionAttributeValues: { ':owner': app.ownerId, ':now': this.now().toISOString() },
      },
    };
  }

  /** Replaces an app's claim on a slug by a hold for its owner (with a TTL), if the app still holds it. */
  private holdSlugStep(slug: string, appId: string, ownerId: string): TransactItem {
    const until = slugHoldEnd(this.now(), this.slugHoldDays);
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.slug(slug),
          type: 'slug-hold',
          slug,
          ownerId,
          heldUntil: until,
          [TABLE_DEFINITION.timeToLiveAttribute]: Math.ceil(Date.parse(until) / 1000),
        },
        ConditionExpression: 'appId = :holder',
        ExpressionAttributeValues: { ':holder': appId },
      },
    };
  }

  /** The 409 for a slug another claim refused: held for a former owner until a time, or taken. */
  private async slugRefused(slug: string, ownerId: string): Promise<Conflict> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.slug(slug), ConsistentRead: true }));
    const heldUntil = Item && Item.appId === undefined ? optStr(Item, 'heldUntil') : undefined;
    const hold: SlugHold | undefined = Item && heldUntil ? { ownerId: str(Item, 'ownerId'), until: heldUntil } : undefined;
    return new Conflict(slugHoldRefusal(slug, hold, ownerId, this.now()) ?? `Slug "${slug}" is already taken`);
  }

  /** True when the app has at least one release (one key-only read). */
  async hasReleases(appId: string): Promise<boolean> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :rel)',
        ExpressionAttributeValues: { ':pk': keys.appCollection(appId), ':rel': keys.releaseWithArtifacts('') },
        ProjectionExpression: 'PK',
        ConsistentRead: true,
        Limit: 1,
      }),
    );
    return (Items ?? []).length > 0;
  }

  private claimName(app: App): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.appName(app.ownerId, app.name), type: 'app-name', appId: app.id, ownerId: app.ownerId },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
  }

  /**
   * The step that releases an app's name claim, when the app holds it (apps created before names
   * were claimed hold none, and their name may since have been claimed by another app).
   */
  private async releaseNameStep(app: App): Promise<TransactItem | undefined> {
    const key = keys.appName(app.ownerId, app.name);
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    if (Item?.appId !== app.id) return undefined;
    return {
      Delete: {
        TableName: this.tableName,
        Key: key,
        ConditionExpression: 'appId = :holder',
        ExpressionAttributeValues: { ':holder': app.id },
      },
    };
  }

  /**
   * The id of the owner's app that claims this name (one read); undefined when none does. Apps
   * created before names were claimed hold no claim.
   */
  async nameHolder(ownerId: string, name: string): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.appName(ownerId, name), ConsistentRead: true }),
    );
    return Item ? str(Item, 'appId') : undefined;
  }

  /** The app (marked `deleting` when a delete has started), or undefined when it does not exist. */
  async get(appId: string): Promise<App | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.app(appId), ConsistentRead: true }));
    return Item ? appFromItem(Item) : undefined;
  }

  /** Every app of an owner, oldest first (all pages of the owner's index; apps being deleted left out). */
  async allByOwner(ownerId: string): Promise<App[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :owner',
      ExpressionAttributeValues: { ':owner': keys.appsByOwner(ownerId) },
      Limit: 100,
    });
    return items.filter((i) => i.type === 'app' && i.deleting !== true).map(appFromItem);
  }

  /**
   * Saves name, default channel and settings; a new name moves the name claim in the same
   * transaction. 409 when the app changed meanwhile or the owner has another app of the new name.
   */
  async update(app: App, previous: App): Promise<void> {
    const set: Record<string, unknown> = {
      name: app.name,
      defaultChannelId: app.defaultChannelId,
      updatedAt: app.updatedAt,
      tauriPublicKey: app.tauriPublicKey,
      description: app.description,
      ...Object.fromEntries(APP_FLAGS.map((flag) => [flag, app[flag]])),
    };
    const present = Object.keys(set).filter((name) => set[name] !== undefined);
    const absent = Object.keys(set).filter((name) => set[name] === undefined);
    const names = Object.keys(set);
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.app(app.id),
          UpdateExpression: `SET ${present.map((name) => `#${name} = :${name}`).join(', ')}${
            absent.length > 0 ? ` REMOVE ${absent.map((name) => `#${name}`).join(', ')}` : ''
          }`,
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(deleting) AND updatedAt = :seen',
          ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
          ExpressionAttributeValues: { ':seen': previous.updatedAt, ...Object.fromEntries(present.map((name) => [`:${name}`, set[name]])) },
        },
      },
    ];
    if (app.name !== previous.name) {
      items.push(this.claimName(app));
      const release = await this.releaseNameStep(previous);
      if (release) items.push(release);
    }
    try {
      await transactWrite(this.db, items);
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const [appUpdate, claim] = error.CancellationReasons ?? [];
        if (appUpdate?.Code === 'ConditionalCheckFailed') throw new Conflict('The app changed meanwhile; try again');
        if (claim?.Code === 'ConditionalCheckFailed') throw new Conflict(APP_NAME_TAKEN);
        throw new Conflict('The app changed meanwhile; try again');
      }
      throw error;
    }
  }

  /**
   * Moves the app to a new slug in one transaction: claim the new slug (unique), release the old
   * one, record it on the app. Refused once the app is being deleted, so a slug can never be
   * claimed by an app that a concurrent delete is removing.
   */
  async changeSlug(app: App, slug: string): Promise<void> {
    const items: TransactItem[] = [
      this.claimSlugStep(slug, app),
      {
        Update: {
          TableName: this.tableName,
          Key: keys.app(app.id),
          UpdateExpression: 'SET slug = :slug',
          ConditionExpression: `attribute_exists(PK) AND attribute_not_exists(deleting) AND ${
            app.slug === undefined ? 'attribute_not_exists(slug)' : 'slug = :old'
          }`,
          ExpressionAttributeValues: { ':slug': slug, ...(app.slug === undefined ? {} : { ':old': app.slug }) },
        },
      },
    ];
    // The old slug is held for this owner: its installed clients never reach another owner's app.
    if (app.slug !== undefined) items.push(this.holdSlugStep(app.slug, app.id, app.ownerId));
    try {
      await transactWrite(this.db, items);
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const [slugClaim, appUpdate] = error.CancellationReasons ?? [];
        if (slugClaim?.Code === 'ConditionalCheckFailed') throw await this.slugRefused(slug, app.ownerId);
        if (appUpdate?.Code === 'ConditionalCheckFailed') throw new Conflict('The app changed meanwhile; try again');
      }
      throw error;
    }
  }

  /**
   * Marks the app as being deleted and returns it as it is now (with the slug it has after any
   * concurrent set-slug): from here on no slug change can succeed. Undefined when already gone.
   */
  async markDeleting(appId: string): Promise<App | undefined> {
    const app = await this.get(appId);
    if (!app) return undefined;
    // The name is free as soon as the delete starts: the app is gone for everything else.
    const release = await this.releaseNameStep(app);
    try {
      await transactWrite(this.db, [
        {
          Update: {
            TableName: this.tableName,
            Key: keys.app(appId),
            UpdateExpression: 'SET deleting = :yes',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':yes': true },
          },
        },
        ...(release ? [release] : []),
      ]);
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [appUpdate, claim] = error.CancellationReasons ?? [];
      if (appUpdate?.Code === 'ConditionalCheckFailed') return undefined;
      // The claim moved meanwhile (a concurrent rename): start over with what is stored now.
      if (claim?.Code === 'ConditionalCheckFailed') return this.markDeleting(appId);
      throw error;
    }
    // Read back as it is now, with the slug it has after any concurrent set-slug.
    return this.get(appId);
  }

  /**
   * Turns the slug claim into a hold for the app's owner (when it still belongs to this app), then
   * deletes every feed and download link published under it.
   */
  async releaseSlug(slug: string, app: Pick<App, 'id' | 'ownerId'>): Promise<void> {
    try {
      await transactWrite(this.db, [this.holdSlugStep(slug, app.id, app.ownerId)]);
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
    }
    await this.deleteFeeds(slug, app.id);
  }

  /** Deletes the app's own download links (its delete started: no file of it is served from now on). */
  async deleteLinks(appId: string): Promise<void> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.appCollection(appId), ':prefix': keys.appFileLinkPrefix },
      ProjectionExpression: 'PK, SK',
      ConsistentRead: true,
    });
    await deleteKeys(
      this.db,
      this.tableName,
      items.map((item) => ({ PK: str(item, 'PK'), SK: str(item, 'SK') })),
    );
  }

  /** Deletes the feed and link items an app published under a slug (the claim is gone, so none can be re-written). */
  async deleteFeeds(slug: string, appId: string): Promise<void> {
    // The feeds and the download links published there.
    const published = (prefix: string) =>
      queryAll(this.db, {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.slugCollection(slug), ':prefix': prefix },
        ProjectionExpression: 'PK, SK, appId',
        ConsistentRead: true,
      });
    const items = [...(await published(keys.feedPrefix)), ...(await published(keys.slugFileLinkPrefix))];
    const stale: ItemKey[] = items.filter((item) => item.appId === appId).map((item) => ({ PK: str(item, 'PK'), SK: str(item, 'SK') }));
    await deleteKeys(this.db, this.tableName, stale);
  }
}

/** Deletes items by key, 25 at a time, retrying what DynamoDB leaves unprocessed. */
export async function deleteKeys(db: DynamoDBDocumentClient, tableName: string, itemKeys: ItemKey[]): Promise<void> {
  for (let i = 0; i < itemKeys.length; i += 25) {
    let requests = itemKeys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 8) throw new Error('DynamoDB kept items unprocessed');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const { UnprocessedItems } = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
}
