import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type SignedResponse, signedRequest } from '../clients/signed-request.js';
import { ENV } from '../config/env.js';
import type { PlatformFeed } from '../domain/feed.js';
import { decodeFeed, FEED_ATTRIBUTE } from './feed-codec.js';
import { type ItemKey, keys } from './keys.js';

/** Errors DynamoDB asks the caller to retry (besides 5xx and network failures). */
const RETRYABLE_TYPES = /ThrottlingException|ProvisionedThroughputExceededException|RequestLimitExceeded|InternalServerError/;
const MAX_ATTEMPTS = 3;

/** An item in DynamoDB's wire JSON (`{"name":{"S":"…"}}`). */
type WireItem = Record<string, unknown>;

type RawResponse = SignedResponse;

/**
 * The public paths' storage calls: one DynamoDB GetItem of a published feed item (the update check),
 * or the Query of a channel's feed items (the channel-wide feeds), signed with the SDK's own SigV4
 * signer and sent over node:http(s) instead of through a full SDK client.
 *
 * Why: the check is the hot, public, mostly cold-started path. The DynamoDB client costs ~50 ms of
 * module load, and global `fetch` (or anything touching `Headers`) lazily loads undici for another
 * ~40 ms on the first call; this path costs a few ms of each (see `npm run bench`). The request is
 * the GetItem the SDK would send: same endpoint variable, same credentials from the environment,
 * retried on throttling, 5xx and network errors.
 */
export class LeanFeedReader {
  private readonly endpoint: URL;

  constructor(private readonly tableName: string) {
    const region = process.env.AWS_REGION ?? 'us-east-1';
    this.endpoint = new URL(process.env[ENV.dynamodbEndpoint] ?? `https://dynamodb.${region}.amazonaws.com`);
  }

  /** One published feed item (eventually consistent: half the read cost), or undefined. */
  async read(slug: string, channel: string, platform: string, arch: string): Promise<PlatformFeed | undefined> {
    const key = keys.feed(slug, channel, platform, arch);
    const body = JSON.stringify({
      TableName: this.tableName,
      Key: { PK: { S: key.PK }, SK: { S: key.SK } },
      ProjectionExpression: FEED_ATTRIBUTE,
    });
    const response = await this.send('DynamoDB_20120810.GetItem', body);
    // Binary attributes travel base64-encoded in DynamoDB's JSON protocol.
    const encoded = (JSON.parse(response.body) as { Item?: Record<string, { B?: string }> }).Item?.[FEED_ATTRIBUTE]?.B;
    return decodeFeed(encoded === undefined ? undefined : Buffer.from(encoded, 'base64'));
  }

  /**
   * Every platform/arch feed of one channel under a slug (channel "" = the app's default): the
   * Query the feed repository's `channelFeeds` sends, page by page, for the channel-wide feeds
   * (Tauri's `latest.json`, electron-updater's YAML).
   */
  async channelFeeds(slug: string, channel: string): Promise<PlatformFeed[]> {
    const items = await this.query({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :channel)',
      ExpressionAttributeValues: { ':pk': { S: keys.slugCollection(slug) }, ':channel': { S: keys.feedChannelPrefix(channel) } },
      ProjectionExpression: FEED_ATTRIBUTE,
    });
    return items.flatMap((item) => {
      const encoded = (item[FEED_ATTRIBUTE] as { B?: string } | undefined)?.B;
      return decodeFeed(encoded === undefined ? undefined : Buffer.from(encoded, 'base64')) ?? [];
    });
  }

  /** One whole item as the document client reads it (strongly consistent unless told), for the download paths' records. */
  async document(key: ItemKey, consistent = true): Promise<Record<string, unknown> | undefined> {
    const body = JSON.stringify({ TableName: this.tableName, Key: { PK: { S: key.PK }, SK: { S: key.SK } }, ConsistentRead: consistent });
    const item = (JSON.parse((await this.send('DynamoDB_20120810.GetItem', body)).body) as { Item?: WireItem }).Item;
    return item ? unmarshall(item as Parameters<typeof unmarshall>[0]) : undefined;
  }

  /** Every item of a partition (under an SK prefix), strongly consistent, every page, as the document client reads them. */
  async documents(pk: string, skPrefix?: string): Promise<Record<string, unknown>[]> {
    const items = await this.query({
      KeyConditionExpression: skPrefix ? 'PK = :pk AND begins_with(SK, :sk)' : 'PK = :pk',
      ExpressionAttributeValues: { ':pk': { S: pk }, ...(skPrefix ? { ':sk': { S: skPrefix } } : {}) },
      ConsistentRead: true,
    });
    return items.map((item) => unmarshall(item as Parameters<typeof unmarshall>[0]));
  }

  /** A Query in DynamoDB's wire JSON, page after page. */
  private async query(input: Record<string, unknown>): Promise<WireItem[]> {
    const items: WireItem[] = [];
    let startKey: unknown;
    do {
      const body = JSON.stringify({ TableName: this.tableName, ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) });
      const page = JSON.parse((await this.send('DynamoDB_20120810.Query', body)).body) as {
        Items?: WireItem[];
        LastEvaluatedKey?: unknown;
      };
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /**
   * Any one item by key, in DynamoDB's wire JSON (`{"name":{"S":"…"}}`), eventually consistent,
   * only the named attributes (strings as `S`, binaries base64 in `B`): for the other single-read
   * public paths (Koolbase's SDK key check, faynoSync's `/checkVersion`, download tokens).
   */
  async getItem(key: ItemKey, attributes: readonly string[]): Promise<Record<string, { S?: string; B?: string } | undefined> | undefined> {
    const names = Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name]));
    const body = JSON.stringify({
      TableName: this.tableName,
      Key: { PK: { S: key.PK }, SK: { S: key.SK } },
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
    });
    const response = await this.send('DynamoDB_20120810.GetItem', body);
    return (JSON.parse(response.body) as { Item?: Record<string, { S?: string; B?: string }> }).Item;
  }

  private async send(target: string, body: string): Promise<RawResponse> {
    let lastProblem = '';
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) await sleep(Math.random() * 25 * 2 ** attempt);
      try {
        const response = await this.post(target, body);
        if (response.status === 200) return response;
        lastProblem = `${response.status} ${response.body.slice(0, 200)}`;
        if (response.status < 500 && !RETRYABLE_TYPES.test(response.body)) break;
      } catch (error) {
        lastProblem = error instanceof Error ? error.message : String(error);
      }
    }
    throw new Error(`DynamoDB ${target.split('.')[1]} failed: ${lastProblem}`);
  }

  private post(target: string, body: string): Promise<RawResponse> {
    return signedRequest('dynamodb', {
      method: 'POST',
      url: this.endpoint,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
      body,
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
