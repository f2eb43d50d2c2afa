import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Artifact, Release } from '../domain/model.js';
import type { Arch, Target } from '../domain/platform.js';
import { versionIdentity } from '../domain/version.js';
import { Conflict, NotFound } from '../http/errors.js';
import { type ItemKey, keys } from './keys.js';

type Item = Record<string, unknown>;

function releaseToItem(release: Release): Item {
  return { ...keys.release(release.appId, release.id), type: 'release', ...release };
}

function releaseFromItem(item: Item): Release {
  return {
    id: String(item.id),
    appId: String(item.appId),
    version: String(item.version),
    notes: String(item.notes ?? ''),
    ...(typeof item.signature === 'string' ? { signature: item.signature } : {}),
    pubDate: String(item.pubDate),
    createdAt: String(item.createdAt),
  };
}

function artifactToItem(artifact: Artifact): Item {
  return { ...keys.artifact(artifact.appId, artifact.releaseId, artifact.target, artifact.arch), type: 'artifact', ...artifact };
}

function artifactFromItem(item: Item): Artifact {
  const { PK: _pk, SK: _sk, type: _type, ...rest } = item;
  return rest as unknown as Artifact;
}

/** Everything stored under one app, read in one consistent query. */
export interface AppCollection {
  releases: Release[];
  artifacts: Artifact[];
  /** Every key in the collection, for deleting the app. */
  keys: ItemKey[];
}

/** Releases, their version claims and their artifacts. */
export class ReleaseRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Creates the release and claims its version in the app, both or neither. */
  async create(release: Release): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { ConditionCheck: { TableName: this.tableName, Key: keys.app(release.appId), ConditionExpression: 'attribute_exists(PK)' } },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.versionClaim(release.appId, versionIdentity(release.version)), type: 'version', releaseId: release.id },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            { Put: { TableName: this.tableName, Item: releaseToItem(release), ConditionExpression: 'attribute_not_exists(PK)' } },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const [app, claim] = error.CancellationReasons ?? [];
        if (app?.Code === 'ConditionalCheckFailed') throw new NotFound(`App ${release.appId} not found`);
        if (claim?.Code === 'ConditionalCheckFailed') {
          throw new Conflict(`Version ${versionIdentity(release.version)} already exists in this app`);
        }
      }
      throw error;
    }
  }

  async get(appId: string, releaseId: string): Promise<Release | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.release(appId, releaseId), ConsistentRead: true }),
    );
    return Item ? releaseFromItem(Item) : undefined;
  }

  /** All releases and artifacts of an app (strongly consistent, every page). */
  async collection(appId: string): Promise<AppCollection> {
    const result: AppCollection = { releases: [], artifacts: [], keys: [] };
    let cursor: Item | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.appCollection(appId) },
          ConsistentRead: true,
          ExclusiveStartKey: cursor,
        }),
      );
      for (const item of page.Items ?? []) {
        result.keys.push({ PK: String(item.PK), SK: String(item.SK) });
        if (item.type === 'release') result.releases.push(releaseFromItem(item));
        else if (item.type === 'artifact') result.artifacts.push(artifactFromItem(item));
      }
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return result;
  }

  async getArtifact(appId: string, releaseId: string, target: Target, arch: Arch): Promise<Artifact | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.artifact(appId, releaseId, target, arch), ConsistentRead: true }),
    );
    return Item ? artifactFromItem(Item) : undefined;
  }

  /**
   * Records an upload slot. A ready artifact is immutable (delete the release to replace it);
   * a pending or rejected one may be requested again, e.g. after the URL expired.
   */
  async putPendingArtifact(artifact: Artifact): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: keys.release(artifact.appId, artifact.releaseId),
                ConditionExpression: 'attribute_exists(PK)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: artifactToItem(artifact),
                ConditionExpression: 'attribute_not_exists(PK) OR #status <> :ready',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':ready': 'ready' },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const [release, slot] = error.CancellationReasons ?? [];
        if (release?.Code === 'ConditionalCheckFailed') throw new NotFound(`Release ${artifact.releaseId} not found`);
        if (slot?.Code === 'ConditionalCheckFailed') {
          throw new Conflict(
            `Release already has a verified ${artifact.target}/${artifact.arch} artifact; delete the release to replace it`,
          );
        }
      }
      throw error;
    }
  }

  /** Marks a pending artifact verified; false when it was not pending (already handled or gone). */
  async markArtifactReady(
    artifact: Artifact,
    verified: { size: number; sha256: string; objectVersionId?: string; readyAt: string },
  ): Promise<boolean> {
    return this.settleArtifact(
      artifact,
      `SET #status = :ready, size = :size, sha256 = :sha, readyAt = :at${verified.objectVersionId ? ', objectVersionId = :vid' : ''}`,
      {
        ':ready': 'ready',
        ':size': verified.size,
        ':sha': verified.sha256,
        ':at': verified.readyAt,
        ...(verified.objectVersionId ? { ':vid': verified.objectVersionId } : {}),
      },
    );
  }

  /** Marks a pending artifact rejected with the reason a publisher will see in the release list. */
  async markArtifactRejected(artifact: Artifact, reason: string): Promise<boolean> {
    return this.settleArtifact(artifact, 'SET #status = :rejected, rejectedReason = :reason', {
      ':rejected': 'rejected',
      ':reason': reason,
    });
  }

  private async settleArtifact(artifact: Artifact, update: string, values: Record<string, unknown>): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.artifact(artifact.appId, artifact.releaseId, artifact.target, artifact.arch),
          UpdateExpression: update,
          ConditionExpression: '#status = :pending AND objectKey = :key',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ...values, ':pending': 'pending', ':key': artifact.objectKey },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Deletes items by key, 25 at a time, retrying what DynamoDB leaves unprocessed. */
  async deleteKeys(itemKeys: ItemKey[]): Promise<void> {
    for (let i = 0; i < itemKeys.length; i += 25) {
      let requests = itemKeys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 8) throw new Error('DynamoDB kept items unprocessed');
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        const { UnprocessedItems } = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
  }

  /** Deletes the release, its version claim and its artifact records together. */
  async deleteRelease(release: Release, artifacts: Artifact[]): Promise<void> {
    const toDelete: ItemKey[] = [
      keys.release(release.appId, release.id),
      keys.versionClaim(release.appId, versionIdentity(release.version)),
      ...artifacts.map((a) => keys.artifact(a.appId, a.releaseId, a.target, a.arch)),
    ];
    // 100 items is the transaction limit; a release has at most one artifact per target/arch (12).
    await this.db.send(
      new TransactWriteCommand({ TransactItems: toDelete.map((Key) => ({ Delete: { TableName: this.tableName, Key } })) }),
    );
  }
}
