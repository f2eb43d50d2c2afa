import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { PlatformFeed } from '../domain/feed.js';

/**
 * The one codec of the published-feed item (`SLUG#<slug>` / `FEED#<channel>#<platform>#<arch>`),
 * shared by its writer (FeedRepository) and its readers (the SDK reader and the lean check
 * reader, which must not load the SDK). The feed is JSON compressed with raw DEFLATE, in one
 * binary attribute: DynamoDB bills a read per started 4 KB of the whole item, and signatures,
 * keys and notes repeat enough that compression halves the item (see `npm run bench`) for
 * ~0.02 ms of inflate on the check path, with node:zlib's built-in code (no bundle cost).
 */
export const FEED_ATTRIBUTE = 'feed';

export function encodeFeed(feed: PlatformFeed): Buffer {
  return deflateRawSync(JSON.stringify(feed), { level: 9 });
}

/** A stable text form of an encoded feed, to tell whether a stored item changed. */
export function fingerprint(encoded: Uint8Array): string {
  return Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength).toString('base64');
}

/** Parses a stored feed; undefined when the attribute is absent. */
export function decodeFeed(encoded: Uint8Array | undefined): PlatformFeed | undefined {
  if (encoded === undefined) return undefined;
  const parsed = JSON.parse(inflateRawSync(encoded).toString('utf8')) as Partial<PlatformFeed>;
  if (typeof parsed.appId !== 'string' || !Array.isArray(parsed.releases) || !Array.isArray(parsed.criticalBelow)) {
    throw new Error('Stored feed is malformed');
  }
  return parsed as PlatformFeed;
}
