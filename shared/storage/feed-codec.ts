import type { PlatformFeed } from '../domain/feed.js';

/**
 * The one codec of the published-feed item (`SLUG#<slug>` / `FEED#<channel>#<platform>#<arch>`),
 * shared by its writer (FeedRepository) and its readers (the SDK reader and the lean check
 * reader, which must not load the SDK). The feed travels as one JSON string attribute: one
 * attribute to project, and the size DynamoDB bills is the size of that string plus the keys.
 */
export const FEED_ATTRIBUTE = 'feed';

export function encodeFeed(feed: PlatformFeed): string {
  return JSON.stringify(feed);
}

/** Parses a stored feed; undefined when the attribute is absent. */
export function decodeFeed(json: string | undefined): PlatformFeed | undefined {
  if (json === undefined) return undefined;
  const parsed = JSON.parse(json) as Partial<PlatformFeed>;
  if (typeof parsed.appId !== 'string' || !Array.isArray(parsed.releases) || !Array.isArray(parsed.criticalBelow)) {
    throw new Error('Stored feed is malformed');
  }
  return parsed as PlatformFeed;
}
