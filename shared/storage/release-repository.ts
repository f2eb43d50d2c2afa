import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DevicePin } from '../domain/device-pin.js';
import { Conflict, NotFound } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { type Artifact, type Release, releaseChannels } from '../domain/model.js';
import { versionIdentity } from '../domain/version.js';
import { artifactEventData, releaseEventData, releaseEventTypes, type WebhookEventType } from '../domain/webhook.js';
import { deleteKeys } from './app-repository.js';
import { refChange } from './catalog-repository.js';
import { devicePinFromItem, devicePinToItem } from './device-pin-item.js';
import { linkTextOf, type StoredLinks, storedLinkId } from './file-link-item.js';
import { defined, type Item, str } from './item-codec.js';
import { type ItemKey, keys } from './keys.js';
import { queryAll } from './query-all.js';
import {
  artifactFromItem,
  artifactToItem,
  releaseFromItem,
  releaseToItem,
  releaseWithArtifactsFrom,
  versionClaimToItem,
} from './release-item.js';
import { TRANSACTION_LIMITS, type TransactItem, transactWrite } from './transactions.js';
import { webhookEventPut } from './webhook-repository.js';

/** Everything stored under one app, read in one consistent query. */
export interface AppCollection {
  releases: Release[];
  artifacts: Artifact[];
  /** The app's device pins (feed items and the edge state carry their hashes). */
  pins: DevicePin[];
  /** The app's download links as stored: `PK|SK` → stored text (file-link-item.ts), for a rebuild's diff. */
  links: StoredLinks;
  /** The fingerprint of what the edge was last told about the app (absent before its first announcement). */
  announced?: string;
  /** Every key in the collection, for deleting the app. */
  keys: ItemKey[];
}

/** What ingest measured and where it put the verified bytes. */
export interface VerifiedObject {
  objectKey: string;
  objectVersionId?: string;
  size: number;
  sha256: string;
  sha512: string;
  sha1: string;
  blake2b512: string;
  readyAt: string;
}

/** The slot an artifact holds: one file per release, platform, arch, package (and base version of a delta). */
function slotKey(artifact: Artifact): ItemKey {
  return keys.artifactSlot(artifact.appId, artifact.releaseId, artifact.platformId, artifact.archId, artifact.package, artifact.deltaFrom);
}

/** Releases, their version claims, their artifacts and artifact slots. */
export class ReleaseRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Creates the release, claims its version in the app, counts it on its channel and records which
   * app holds it (for lookups by release id alone), all or nothing.
   */
  async create(release: Release, ownerId: string): Promise<void> {
    try {
      await transactWrite(this.db, [
        {
          ConditionCheck: {
            TableName: this.tableName,
            Key: keys.app(release.appId),
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(deleting)',
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: versionClaimToItem(release),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        { Put: { TableName: this.tableName, Item: releaseToItem(release), ConditionExpression: 'attribute_not_exists(PK)' } },
        refChange(this.tableName, ownerId, 'channel', release.channelId, 1),
        {
          Put: { TableName: this.tableName, Item: { ...keys.releaseApp(ownerId, release.id), type: 'release-app', appId: release.appId } },
        },
        // A release created published (faynoSync's upload with publish, Koolbase) is a release.published event.
        ...this.eventPuts({ ...release, status: 'draft' }, release),
      ]);
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const [app, claim, , channel] = error.CancellationReasons ?? [];
        if (app?.Code === 'ConditionalCheckFailed') throw new NotFound(`App ${release.appId} not found`);
        if (claim?.Code === 'ConditionalCheckFailed') {
          throw new Conflict(`Version ${versionIdentity(release.version)} already exists in this app`, 'version_exists');
        }
        if (channel?.Code === 'ConditionalCheckFailed') throw new Conflict('The channel was deleted meanwhile');
      }
      throw error;
    }
  }

  /**
   * The id of the owner's app that holds a release, from the lookup item written with it; undefined
   * when there is none (no such release, another owner's, or one created before the item existed).
   */
  async appOfRelease(ownerId: string, releaseId: string): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.releaseApp(ownerId, releaseId), ConsistentRead: true }),
    );
    return Item ? str(Item, 'appId') : undefined;
  }

  async get(appId: string, releaseId: string): Promise<Release | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.release(appId, releaseId), ConsistentRead: true }),
    );
    return Item ? releaseFromItem(Item) : undefined;
  }

  /** One release with its artifacts, in one query. */
  async getWithArtifacts(appId: string, releaseId: string): Promise<{ release: Release; artifacts: Artifact[] } | undefined> {
    return releaseWithArtifactsFrom(await this.partition(keys.appCollection(appId), keys.releaseWithArtifacts(releaseId)));
  }

  /** All releases and artifacts of an app (strongly consistent, every page). */
  async collection(appId: string): Promise<AppCollection> {
    const result: AppCollection = { releases: [], artifacts: [], pins: [], links: new Map(), keys: [] };
    for (const item of await this.partition(keys.appCollection(appId))) {
      result.keys.push({ PK: str(item, 'PK'), SK: str(item, 'SK') });
      if (item.type === 'release') result.releases.push(releaseFromItem(item));
      else if (item.type === 'artifact') result.artifacts.push(artifactFromItem(item));
      else if (item.type === 'pin') result.pins.push(devicePinFromItem(item));
      else if (item.type === 'link') result.links.set(storedLinkId(item), linkTextOf(item));
      else if (item.type === 'edge-announced') result.announced = str(item, 'fingerprint');
    }
    return result;
  }

  /** Pins a device (replacing its earlier pin). */
  async putPin(pin: DevicePin): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: devicePinToItem(pin) }));
  }

  /** Removes a device's pin; false when there was none. */
  async deletePin(appId: string, hash: string): Promise<boolean> {
    const { Attributes } = await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: keys.devicePin(appId, hash), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }

  /**
   * Saves a changed release if nobody changed it since it was read (409 otherwise). A change of
   * its channels (its own, or those it was promoted to) moves the reference counts in the same
   * transaction.
   */
  async update(previous: Release, next: Release, ownerId: string): Promise<void> {
    await this.updateAll([{ previous, next }], ownerId);
  }

  /**
   * Saves several changed releases of one owner in one transaction: all of them, or none when any
   * changed since it was read (409). A rollback's yanks land together.
   */
  async updateAll(changes: readonly { previous: Release; next: Release }[], ownerId: string): Promise<void> {
    const items: TransactItem[] = changes.map(({ previous, next }) => ({
      Put: {
        TableName: this.tableName,
        Item: releaseToItem(next),
        ConditionExpression: 'updatedAt = :seen',
        ExpressionAttributeValues: { ':seen': previous.updatedAt },
      },
    }));
    const delta = new Map<string, number>();
    for (const { previous, next } of changes) {
      for (const id of releaseChannels(previous)) delta.set(id, (delta.get(id) ?? 0) - 1);
      for (const id of releaseChannels(next)) delta.set(id, (delta.get(id) ?? 0) + 1);
    }
    for (const [id, change] of delta) if (change !== 0) items.push(refChange(this.tableName, ownerId, 'channel', id, change));
    // The webhook events of the changes, saved with them (the stream hands them to the fan-out).
    for (const { previous, next } of changes) items.push(...this.eventPuts(previous, next));
    if (items.length > TRANSACTION_LIMITS.items)
      throw new Conflict(`${changes.length} releases cannot change in one step; change fewer at once`);
    if (items.length === 0) return;
    try {
      await transactWrite(this.db, items);
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        if (reasons.slice(0, changes.length).some((r) => r?.Code === 'ConditionalCheckFailed'))
          throw new Conflict('The release changed meanwhile; try again');
        if (reasons.slice(changes.length).some((r) => r?.Code === 'ConditionalCheckFailed'))
          throw new Conflict('The channel was deleted meanwhile');
      }
      throw error;
    }
  }

  /** The webhook event items of a release change (none for most edits). */
  private eventPuts(previous: Release, next: Release): TransactItem[] {
    const at = new Date().toISOString();
    return releaseEventTypes(previous, next).map((type) =>
      webhookEventPut(this.tableName, { id: newId(), type, appId: next.appId, createdAt: at, data: releaseEventData(next) }),
    );
  }

  /**
   * Deletes the release, its version claim and its lookup item (its artifacts must be deleted first)
   * and uncounts it from its channel, once: of two concurrent deletes, the second finds nothing and
   * changes nothing.
   */
  async deleteRelease(release: Release, ownerId: string): Promise<void> {
    await onceOnly(
      transactWrite(this.db, [
        {
          Delete: { TableName: this.tableName, Key: keys.release(release.appId, release.id), ConditionExpression: 'attribute_exists(PK)' },
        },
        { Delete: { TableName: this.tableName, Key: keys.versionClaim(release.appId, versionIdentity(release.version)) } },
        ...releaseChannels(release).map((id) => refChange(this.tableName, ownerId, 'channel', id, -1)),
        { Delete: { TableName: this.tableName, Key: keys.releaseApp(ownerId, release.id) } },
      ]),
    );
  }

  /** The artifact id holding a release's slot for a platform, arch and package (and base version of a delta), if any. */
  async slotHolder(
    appId: string,
    releaseId: string,
    platformId: string,
    archId: string,
    pkg: string,
    deltaFrom?: string,
  ): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.artifactSlot(appId, releaseId, platformId, archId, pkg, deltaFrom),
        ConsistentRead: true,
      }),
    );
    return Item ? str(Item, 'artifactId') : undefined;
  }

  /** Records a new artifact (pending upload) in its slot and counts it on its platform and arch. */
  async createArtifact(artifact: Artifact, ownerId: string): Promise<void> {
    try {
      await transactWrite(this.db, [
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
            Item: {
              ...slotKey(artifact),
              type: 'artifact-slot',
              artifactId: artifact.id,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        { Put: { TableName: this.tableName, Item: artifactToItem(artifact), ConditionExpression: 'attribute_not_exists(PK)' } },
        refChange(this.tableName, ownerId, 'platform', artifact.platformId, 1),
        refChange(this.tableName, ownerId, 'arch', artifact.archId, 1),
      ]);
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const [release, slot, , platform, arch] = error.CancellationReasons ?? [];
        if (release?.Code === 'ConditionalCheckFailed') throw new NotFound(`Release ${artifact.releaseId} not found`);
        if (slot?.Code === 'ConditionalCheckFailed')
          throw new Conflict('Another upload for this platform, arch and package started meanwhile; try again');
        if (platform?.Code === 'ConditionalCheckFailed' || arch?.Code === 'ConditionalCheckFailed') {
          throw new Conflict('The platform or arch was deleted meanwhile');
        }
      }
      throw error;
    }
  }

  async getArtifact(appId: string, releaseId: string, artifactId: string): Promise<Artifact | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.artifact(appId, releaseId, artifactId), ConsistentRead: true }),
    );
    return Item ? artifactFromItem(Item) : undefined;
  }

  /**
   * Starts a new upload attempt for an artifact that is not verified yet: earlier upload URLs stop
   * counting (ingest ignores their uploads). 409 once it is ready (delete it to replace it).
   */
  async startAttempt(artifact: Artifact, attemptId: string, uploadExpiresAt: string, declared: Partial<Artifact>): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.artifact(artifact.appId, artifact.releaseId, artifact.id),
          UpdateExpression:
            'SET #status = :pending, attemptId = :attempt, uploadExpiresAt = :expires, declaredSize = :size, declaredSha256 = :sha, signature = :sig, edSignature = :ed REMOVE reason',
          ConditionExpression: 'attribute_exists(PK) AND #status <> :ready',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pending': 'pending',
            ':ready': 'ready',
            ':attempt': attemptId,
            ':expires': uploadExpiresAt,
            ':size': declared.declaredSize ?? artifact.declaredSize,
            ':sha': declared.declaredSha256 ?? null,
            ':sig': declared.signature ?? null,
            ':ed': declared.edSignature ?? null,
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new Conflict('This artifact is already verified (delete it to replace it), or was deleted meanwhile');
      }
      throw error;
    }
  }

  /** Marks the current attempt verified; false when the artifact moved on (another attempt, or settled). */
  async markReady(artifact: Artifact, attemptId: string, verified: VerifiedObject): Promise<boolean> {
    return this.settle(
      artifact,
      attemptId,
      `SET #status = :ready, objectKey = :key, size = :size, sha256 = :sha256, sha512 = :sha512, sha1 = :sha1, blake2b512 = :b2, readyAt = :at${
        verified.objectVersionId ? ', objectVersionId = :vid' : ''
      } REMOVE reason`,
      defined({
        ':ready': 'ready',
        ':key': verified.objectKey,
        ':size': verified.size,
        ':sha256': verified.sha256,
        ':sha512': verified.sha512,
        ':sha1': verified.sha1,
        ':b2': verified.blake2b512,
        ':at': verified.readyAt,
        ':vid': verified.objectVersionId,
      }),
      {
        type: 'artifact.verified',
        data: artifactEventData(artifact, { status: 'ready', sha256: verified.sha256, size: verified.size }),
      },
    );
  }

  /** Marks the current attempt rejected (the bytes failed a check) or failed (verification itself failed). */
  async markUnusable(artifact: Artifact, attemptId: string, status: 'rejected' | 'failed', reason: string): Promise<boolean> {
    return this.settle(
      artifact,
      attemptId,
      'SET #status = :status, reason = :reason',
      { ':status': status, ':reason': reason },
      { type: 'artifact.refused', data: artifactEventData(artifact, { status, reason }) },
    );
  }

  /** Settles the current attempt, with its webhook event (verified or refused) in the same transaction. */
  private async settle(
    artifact: Artifact,
    attemptId: string,
    update: string,
    values: Record<string, unknown>,
    event: { type: WebhookEventType; data: Record<string, unknown> },
  ): Promise<boolean> {
    try {
      await transactWrite(this.db, [
        {
          Update: {
            TableName: this.tableName,
            Key: keys.artifact(artifact.appId, artifact.releaseId, artifact.id),
            UpdateExpression: update,
            ConditionExpression: '#status = :pending AND attemptId = :attempt',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ...values, ':pending': 'pending', ':attempt': attemptId },
          },
        },
        webhookEventPut(this.tableName, { id: newId(), appId: artifact.appId, createdAt: new Date().toISOString(), ...event }),
      ]);
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  /**
   * Deletes an artifact record and its slot, and uncounts it from its platform and arch, once.
   * With `unverifiedAttempt`, only while the artifact is still that attempt and not verified (a
   * refused upload cleaning up after itself never removes a concurrent upload's newer attempt).
   * False when there was nothing (left) to delete.
   */
  async deleteArtifact(artifact: Artifact, ownerId: string, unverifiedAttempt?: string): Promise<boolean> {
    return onceOnly(
      transactWrite(this.db, [
        {
          Delete: {
            TableName: this.tableName,
            Key: keys.artifact(artifact.appId, artifact.releaseId, artifact.id),
            ...(unverifiedAttempt
              ? {
                  ConditionExpression: 'attribute_exists(PK) AND attemptId = :attempt AND #status <> :ready',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':attempt': unverifiedAttempt, ':ready': 'ready' },
                }
              : { ConditionExpression: 'attribute_exists(PK)' }),
          },
        },
        {
          Delete: {
            TableName: this.tableName,
            Key: slotKey(artifact),
          },
        },
        refChange(this.tableName, ownerId, 'platform', artifact.platformId, -1),
        refChange(this.tableName, ownerId, 'arch', artifact.archId, -1),
      ]),
    );
  }

  /** Deletes whatever is left of an app's collection, the app item last (app deletion). */
  async deleteRemaining(appId: string): Promise<void> {
    const { keys: itemKeys } = await this.collection(appId);
    const appKey = keys.app(appId);
    await deleteKeys(
      this.db,
      this.tableName,
      itemKeys.filter((k) => k.SK !== appKey.SK),
    );
    await deleteKeys(this.db, this.tableName, [appKey]);
  }

  /** Every item of a partition (under a sort-key prefix), strongly consistent. */
  private async partition(pk: string, skPrefix?: string): Promise<Item[]> {
    return queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: skPrefix ? 'PK = :pk AND begins_with(SK, :sk)' : 'PK = :pk',
      ExpressionAttributeValues: { ':pk': pk, ...(skPrefix ? { ':sk': skPrefix } : {}) },
      ConsistentRead: true,
    });
  }
}

/** A delete whose first item is already gone (or no longer matches) was someone else's: nothing more to do. False then. */
async function onceOnly(deletion: Promise<void>): Promise<boolean> {
  try {
    await deletion;
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
    throw error;
  }
}
