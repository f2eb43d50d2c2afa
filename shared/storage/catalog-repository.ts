import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { BUILTINS_REVISION, builtinEntries, type CatalogEntry, type CatalogKind } from '../domain/catalog.js';
import { Conflict } from '../domain/errors.js';
import { catalogFromItem, catalogToItem, type OwnerCatalog, ownerCatalogFrom } from './catalog-item.js';
import { str } from './item-codec.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';
import { type TransactItem, transactWrite } from './transactions.js';

export type { OwnerCatalog };

/** Channels, platforms and archs of owner accounts, their name claims and reference counts. */
export class CatalogRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Gives an owner its built-in entries, once (idempotent and safe under concurrency). */
  async ensureOwner(ownerId: string, now: string, ownerName?: string): Promise<void> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.ownerProfile(ownerId) }));
    if (Item) {
      if (Item.builtinsRevision !== BUILTINS_REVISION) await this.addNewBuiltins(ownerId, now);
      if (ownerName && Item.ownerName !== ownerName) await this.recordOwnerName(ownerId, ownerName);
      return;
    }
    const entries = builtinEntries(ownerId, now);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.ownerProfile(ownerId),
            type: 'owner',
            ownerId,
            ...(ownerName ? { ownerName } : {}),
            createdAt: now,
            builtinsRevision: BUILTINS_REVISION,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      ...entries.flatMap((entry) => this.createItems(entry)),
    ];
    try {
      await transactWrite(this.db, items);
    } catch (error) {
      // Another request provisioned the owner first.
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return;
      throw error;
    }
  }

  /**
   * An owner provisioned before BUILTINS grew gets the new entries: each one unless its name is
   * already taken by an entry of the owner's own (which then stays as it is).
   */
  private async addNewBuiltins(ownerId: string, now: string): Promise<void> {
    for (const entry of builtinEntries(ownerId, now)) {
      try {
        await transactWrite(this.db, this.createItems(entry));
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
      }
    }
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.ownerProfile(ownerId),
        UpdateExpression: 'SET builtinsRevision = :r',
        ExpressionAttributeValues: { ':r': BUILTINS_REVISION },
      }),
    );
  }

  /**
   * The owner's user name (its Cognito username, which never changes): faynoSync's clients name
   * the tenant by it (`owner=`), so the faynoSync view of each app is stored under it.
   */
  private async recordOwnerName(ownerId: string, ownerName: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.ownerProfile(ownerId),
        UpdateExpression: 'SET ownerName = :n',
        ExpressionAttributeValues: { ':n': ownerName },
      }),
    );
  }

  /** The owner's user name, once it made a request that recorded it. */
  async ownerName(ownerId: string): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.ownerProfile(ownerId), ConsistentRead: true }),
    );
    return typeof Item?.ownerName === 'string' ? Item.ownerName : undefined;
  }

  async all(ownerId: string): Promise<OwnerCatalog> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :cat)',
      ExpressionAttributeValues: { ':pk': keys.ownerCollection(ownerId), ':cat': keys.catalogAll },
      ConsistentRead: true,
    });
    return ownerCatalogFrom(items);
  }

  async get(ownerId: string, kind: CatalogKind, id: string): Promise<CatalogEntry | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.catalogEntry(ownerId, kind, id), ConsistentRead: true }),
    );
    return Item ? catalogFromItem(Item) : undefined;
  }

  async findByName(ownerId: string, kind: CatalogKind, name: string): Promise<CatalogEntry | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.catalogName(ownerId, kind, name), ConsistentRead: true }),
    );
    return Item ? this.get(ownerId, kind, str(Item, 'id')) : undefined;
  }

  async create(entry: CatalogEntry): Promise<void> {
    try {
      await transactWrite(this.db, this.createItems(entry));
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
        throw new Conflict(`A ${entry.kind} named "${entry.name}" already exists`, `${entry.kind}_name_taken`);
      }
      throw error;
    }
  }

  /** Saves a changed entry; a new name moves the name claim in the same transaction. */
  async update(previous: CatalogEntry, next: CatalogEntry): Promise<void> {
    // Only the settable fields are written: the reference count moves concurrently (ADD) and stays.
    const fields: Record<string, unknown> = {
      name: next.name,
      explicit: next.explicit,
      updatedAt: next.updatedAt,
      ...(next.kind === 'channel' ? { follows: next.follows, allowPrerelease: next.allowPrerelease } : {}),
      ...(next.kind === 'platform' ? { updaters: next.updaters } : {}),
      ...(next.kind !== 'channel' && next.canonical ? { canonical: next.canonical } : {}),
    };
    const names = Object.keys(fields);
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.catalogEntry(next.ownerId, next.kind, next.id),
          UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
          ConditionExpression: 'updatedAt = :seen',
          ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
          ExpressionAttributeValues: {
            ':seen': previous.updatedAt,
            ...Object.fromEntries(names.map((name, i) => [`:f${i}`, fields[name]])),
          },
        },
      },
    ];
    if (previous.name !== next.name) {
      items.push(
        {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.catalogName(next.ownerId, next.kind, next.name), type: 'catalog-name', id: next.id },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Delete: {
            TableName: this.tableName,
            Key: keys.catalogName(previous.ownerId, previous.kind, previous.name),
            ConditionExpression: 'id = :id',
            ExpressionAttributeValues: { ':id': previous.id },
          },
        },
      );
    }
    try {
      await transactWrite(this.db, items);
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const [entry, claim] = error.CancellationReasons ?? [];
        if (claim?.Code === 'ConditionalCheckFailed')
          throw new Conflict(`A ${next.kind} named "${next.name}" already exists`, `${next.kind}_name_taken`);
        if (entry?.Code === 'ConditionalCheckFailed') throw new Conflict(`The ${next.kind} changed meanwhile; try again`);
      }
      throw error;
    }
  }

  /** Deletes an entry nothing refers to; 409 while releases or artifacts use it. */
  async delete(entry: CatalogEntry): Promise<void> {
    try {
      await transactWrite(this.db, [
        {
          Delete: {
            TableName: this.tableName,
            Key: keys.catalogEntry(entry.ownerId, entry.kind, entry.id),
            ConditionExpression: 'refs = :zero',
            ExpressionAttributeValues: { ':zero': 0 },
          },
        },
        { Delete: { TableName: this.tableName, Key: keys.catalogName(entry.ownerId, entry.kind, entry.name) } },
      ]);
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
        throw new Conflict(`The ${entry.kind} "${entry.name}" is in use by releases; move or delete them first`);
      }
      throw error;
    }
  }

  private createItems(entry: CatalogEntry): TransactItem[] {
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.catalogName(entry.ownerId, entry.kind, entry.name), type: 'catalog-name', id: entry.id },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      { Put: { TableName: this.tableName, Item: catalogToItem(entry), ConditionExpression: 'attribute_not_exists(PK)' } },
    ];
  }
}

/** A transaction step that moves an entry's reference count (the entry must exist). */
export function refChange(tableName: string, ownerId: string, kind: CatalogKind, id: string, delta: number): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.catalogEntry(ownerId, kind, id),
      UpdateExpression: 'ADD refs :delta',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':delta': delta },
    },
  };
}

/** A catalog entry as an API names it: by its name, else by its id (callers may hold either). */
export async function entryByNameOrId(
  catalogs: Pick<CatalogRepository, 'findByName' | 'get'>,
  ownerId: string,
  kind: CatalogKind,
  ref: string,
): Promise<CatalogEntry | undefined> {
  return (await catalogs.findByName(ownerId, kind, ref)) ?? (await catalogs.get(ownerId, kind, ref));
}
