import { deflateRawSync } from 'node:zlib';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { FaynoView } from '../domain/fayno-view.js';
import { VIEW_ATTRIBUTE, viewFromBytes } from './fayno-view-item.js';
import { str } from './item-codec.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';

/** The faynoSync view of each app (see shared/domain/fayno-view.ts), DEFLATE-compressed JSON in one item. */
export class FaynoViewRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The view of an owner's app by name: one GetItem. */
  async read(ownerName: string, appName: string): Promise<FaynoView | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.faynoView(ownerName, appName) }));
    return viewFromBytes(Item?.[VIEW_ATTRIBUTE] as Uint8Array | undefined);
  }

  /**
   * Stores an app's view under its current name and removes it from any other name (a rename).
   * Ordered by the rebuild revision: an older rebuild never overwrites a newer one. Returns whether
   * the stored view changed;
   * `beforeChange` runs first when it will, with the other names the app's view leaves (a rename).
   */
  async replace(ownerName: string, view: FaynoView, rev: number, beforeChange: (leftNames: string[]) => Promise<void>): Promise<boolean> {
    const encoded = deflateRawSync(JSON.stringify(view), { level: 9 });
    const key = keys.faynoView(ownerName, view.appName);
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    const same = Item?.appId === view.appId && Buffer.from(Item?.[VIEW_ATTRIBUTE] ?? []).equals(encoded);
    const stale = (await this.ofApp(ownerName, view.appId)).filter((sk) => sk !== key.SK);
    if (same && stale.length === 0) return false;
    // The edge purge is queued before anything changes, so a crash in between cannot lose it.
    await beforeChange(stale.map(keys.faynoViewName));
    if (!same) {
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...key, type: 'fayno-view', appId: view.appId, rev, [VIEW_ATTRIBUTE]: encoded },
            // Another app's view under this name stays until that app is renamed or deleted.
            ConditionExpression: 'attribute_not_exists(PK) OR (appId = :app AND rev <= :rev)',
            ExpressionAttributeValues: { ':app': view.appId, ':rev': rev },
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    }
    for (const sk of stale) await this.deleteOne(ownerName, sk, view.appId);
    return true;
  }

  /** Removes every view of an app (its delete started). */
  async remove(ownerName: string, appId: string): Promise<void> {
    for (const sk of await this.ofApp(ownerName, appId)) await this.deleteOne(ownerName, sk, appId);
  }

  private async deleteOne(ownerName: string, sk: string, appId: string): Promise<void> {
    await this.db
      .send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { PK: keys.faynoViews(ownerName), SK: sk },
          ConditionExpression: 'attribute_not_exists(PK) OR appId = :app',
          ExpressionAttributeValues: { ':app': appId },
        }),
      )
      .catch((error) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  /** Sort keys of the owner's views that belong to the app. */
  private async ofApp(ownerName: string, appId: string): Promise<string[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      FilterExpression: 'appId = :app',
      ProjectionExpression: 'SK',
      ExpressionAttributeValues: { ':pk': keys.faynoViews(ownerName), ':app': appId },
      ConsistentRead: true,
    });
    return items.map((item) => str(item, 'SK'));
  }
}
