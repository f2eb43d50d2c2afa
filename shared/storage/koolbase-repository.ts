import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type EdgeStateUpdate, edgeStateKeys } from '../domain/edge-state.js';
import { Conflict, NotFound } from '../domain/errors.js';
import type { ActiveBundle } from '../domain/koolbase-bundle.js';
import { defined, type Item, num, optNum, str } from './item-codec.js';
import { keys } from './keys.js';
import { koolbaseKeys, SDK_KEY_ATTRIBUTES } from './koolbase-keys.js';
import { edgeStateWrite } from './outbox-repository.js';
import { type TransactItem, transactWrite } from './transactions.js';

/** One SDK key of a project, as stored (never the key itself). */
export interface SdkKey {
  id: string;
  /** SHA-256 of the key, hex: the id of its check item. */
  hash: string;
  /** The first characters of the key, to tell keys apart in lists. */
  prefix: string;
  channel?: string;
  createdAt: string;
  /** Set when the key was rotated: the end of its grace period, epoch seconds (its item expires then too). */
  expiresAt?: number;
  /** The id of the key that replaced it in that rotation. */
  replacedBy?: string;
}

/** A project's Koolbase state: its SDK keys and the active bundle of each channel. */
export interface KoolbaseState {
  /** Bumped by every write; a write names the revision it read (optimistic concurrency). */
  rev: number;
  keys: SdkKey[];
  active: Record<string, ActiveBundle>;
  /** The revision last announced to the edge for the project's keys (ms; grows with every write). */
  edgeRev?: number;
}

export const EMPTY_STATE: KoolbaseState = { rev: 0, keys: [], active: {} };

function stateFromItem(item: Item): KoolbaseState {
  const edgeRev = optNum(item, 'edgeRev');
  return {
    rev: num(item, 'rev'),
    keys: (JSON.parse(str(item, 'keys')) as SdkKey[]).map((k) => defined({ ...k })),
    active: JSON.parse(str(item, 'active')) as Record<string, ActiveBundle>,
    ...(edgeRev !== undefined ? { edgeRev } : {}),
  };
}

/**
 * What the edge learns of a state change: every key of `next` under a new revision (the check's
 * cache key carries it, so answers cached before are never served again: no purge), every key that
 * is gone as deleted (the edge answers it 401 itself).
 */
function keyEdgeUpdates(next: KoolbaseState, gone: readonly SdkKey[], rev: number): EdgeStateUpdate[] {
  return [
    ...next.keys.map((key): EdgeStateUpdate => ({ key: edgeStateKeys.apiKey(key.hash), state: { rev } })),
    ...gone.map((key): EdgeStateUpdate => ({ key: edgeStateKeys.apiKey(key.hash), state: { rev, deleted: true } })),
  ];
}

/** The keys of `previous` that `next` no longer holds (revoked, or past their grace). */
function goneKeys(previous: KoolbaseState, next: KoolbaseState): SdkKey[] {
  const live = new Set(next.keys.map((key) => key.hash));
  return previous.keys.filter((key) => !live.has(key.hash));
}

/** What the check of one key serves: the active bundles it may see. */
function bundlesFor(key: SdkKey, active: Record<string, ActiveBundle>): Record<string, ActiveBundle> {
  if (key.channel === undefined) return active;
  const bundle = active[key.channel];
  return bundle ? { [key.channel]: bundle } : {};
}

/**
 * The Koolbase state item of a project, the SDK key items derived from it, and the per-channel
 * bundle counters. Every state change rewrites every key item in the same transaction, so the
 * one GetItem of a check always sees a state that was whole.
 */
export class KoolbaseRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async state(appId: string): Promise<KoolbaseState> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: koolbaseKeys.state(appId), ConsistentRead: true }),
    );
    return Item ? stateFromItem(Item) : EMPTY_STATE;
  }

  /**
   * Saves `next` if the state is still at `previous.rev` (409 otherwise, for the caller to retry
   * with a fresh read), and rewrites the key items: every key of `next` with its view of the
   * active bundles, and deletes the items of keys that are gone. Refused while the app is being
   * deleted, except for the delete's own revocation of every key (`whileDeleting`). The same
   * transaction writes the keys' new edge state to the outbox (`keyEdgeUpdates`): a change and what
   * the edge learns of it commit together.
   */
  async save(appId: string, previous: KoolbaseState, next: KoolbaseState, whileDeleting = false): Promise<void> {
    const rev = previous.rev + 1;
    // Grows with every write, even two within one millisecond or across clocks (the edge keeps the newest revision).
    const edgeRev = Math.max(this.now().getTime(), (previous.edgeRev ?? 0) + 1);
    const gone = goneKeys(previous, next);
    const edgeUpdates = keyEdgeUpdates(next, gone, edgeRev);
    const items: TransactItem[] = [
      {
        ConditionCheck: {
          TableName: this.tableName,
          Key: keys.app(appId),
          ConditionExpression: whileDeleting ? 'attribute_exists(PK)' : 'attribute_exists(PK) AND attribute_not_exists(deleting)',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...koolbaseKeys.state(appId),
            type: 'koolbase',
            rev,
            keys: JSON.stringify(next.keys),
            active: JSON.stringify(next.active),
            edgeRev,
          },
          ...(previous.rev === 0
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : { ConditionExpression: 'rev = :seen', ExpressionAttributeValues: { ':seen': previous.rev } }),
        },
      },
      ...next.keys.map(
        (key): TransactItem => ({
          Put: {
            TableName: this.tableName,
            Item: defined({
              ...koolbaseKeys.sdkKey(key.hash),
              type: 'koolbase-key',
              keyId: key.id,
              [SDK_KEY_ATTRIBUTES.appId]: appId,
              [SDK_KEY_ATTRIBUTES.channel]: key.channel,
              [SDK_KEY_ATTRIBUTES.bundles]: JSON.stringify(bundlesFor(key, next.active)),
              // The table's TTL attribute: DynamoDB removes a rotated key's item some time after its grace ends.
              [SDK_KEY_ATTRIBUTES.expiresAt]: key.expiresAt,
            }),
          },
        }),
      ),
      ...gone.map((key): TransactItem => ({ Delete: { TableName: this.tableName, Key: koolbaseKeys.sdkKey(key.hash) } })),
      ...(edgeUpdates.length > 0 ? [edgeStateWrite(this.tableName, edgeUpdates, edgeRev)] : []),
    ];
    try {
      await transactWrite(this.db, items);
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const [app, state] = error.CancellationReasons ?? [];
        if (app?.Code === 'ConditionalCheckFailed') throw new NotFound(`App ${appId} not found`);
        if (state?.Code === 'ConditionalCheckFailed') throw new Conflict('The project changed meanwhile; try again');
      }
      throw error;
    }
  }

  /** The next bundle number of a channel (1, 2, 3, …): an atomic counter, so concurrent uploads never share one. */
  async nextBundleNumber(appId: string, channel: string): Promise<number> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: koolbaseKeys.counter(appId, channel),
        UpdateExpression: 'ADD #n :one SET #type = :type',
        ExpressionAttributeNames: { '#n': 'n', '#type': 'type' },
        ExpressionAttributeValues: { ':one': 1, ':type': 'koolbase-counter' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return num(Attributes ?? {}, 'n');
  }
}
