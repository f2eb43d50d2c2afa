import {
  type CloudFrontKeyValueStoreClient,
  DescribeKeyValueStoreCommand,
  GetKeyCommand,
  ResourceNotFoundException,
  UpdateKeysCommand,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { decodeEdgeState, type EdgeStateUpdate, encodeEdgeState, mergeEdgeState } from '../domain/edge-state.js';

/** A key-value store as the edge-state writer uses it: CloudFront KeyValueStore in the cloud, a Map locally. */
export interface EdgeKeyValues {
  get(key: string): Promise<string | undefined>;
  update(puts: readonly { key: string; value: string }[]): Promise<void>;
}

/**
 * Writes apps' edge state: each update lands only over an older revision (outbox items may arrive
 * in any order and more than once), and a key's files revision survives updates that do not change it.
 */
export class EdgeStateWriter {
  constructor(private readonly store: EdgeKeyValues) {}

  /** Returns the keys written (a key already at this revision or a newer one is skipped). */
  async apply(updates: readonly EdgeStateUpdate[]): Promise<string[]> {
    // The last update of a key in a batch wins only if it is the newest: merge them in revision order.
    const ordered = [...updates].sort((a, b) => a.state.rev - b.state.rev);
    const values = new Map<string, string>();
    for (const update of ordered) {
      const current = values.has(update.key) ? values.get(update.key) : await this.store.get(update.key);
      const merged = mergeEdgeState(decodeEdgeState(current), update);
      if (merged) values.set(update.key, encodeEdgeState(merged));
    }
    if (values.size > 0) await this.store.update([...values].map(([key, value]) => ({ key, value })));
    return [...values.keys()];
  }
}

/** UpdateKeys takes at most 50 puts and deletes per call (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_kvs_UpdateKeys.html). */
const UPDATE_KEYS_BATCH = 50;
/** Attempts when another writer changed the store between our DescribeKeyValueStore and UpdateKeys (its ETag moved on). */
const ETAG_ATTEMPTS = 5;

/**
 * CloudFront KeyValueStore through its data-plane API (signed with SigV4A, hence
 * `@aws-sdk/signature-v4a` in the client module). Every write names the store's current ETag,
 * read with DescribeKeyValueStore; a write that lost the race reads it again and retries.
 */
export class KeyValueStoreKeyValues implements EdgeKeyValues {
  constructor(
    private readonly client: Pick<CloudFrontKeyValueStoreClient, 'send'>,
    private readonly arn: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.client.send(new GetKeyCommand({ KvsARN: this.arn, Key: key }))).Value;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  async update(puts: readonly { key: string; value: string }[]): Promise<void> {
    for (let i = 0; i < puts.length; i += UPDATE_KEYS_BATCH) {
      const batch = puts.slice(i, i + UPDATE_KEYS_BATCH).map(({ key, value }) => ({ Key: key, Value: value }));
      for (let attempt = 1; ; attempt++) {
        const { ETag } = await this.client.send(new DescribeKeyValueStoreCommand({ KvsARN: this.arn }));
        try {
          await this.client.send(new UpdateKeysCommand({ KvsARN: this.arn, IfMatch: ETag, Puts: batch }));
          break;
        } catch (error) {
          // A stale ETag is a 409 Conflict or 412 precondition failure; anything else (and the last attempt) throws to the stream's retry.
          const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
          if (attempt >= ETAG_ATTEMPTS || (status !== 409 && status !== 412)) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt + Math.random() * 50));
        }
      }
    }
  }
}
