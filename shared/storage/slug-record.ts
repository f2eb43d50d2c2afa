import type { Feed } from '../domain/feed.js';

/** What a slug resolves to: the app and its published feed. */
export interface SlugRecord {
  appId: string;
  feed: Feed;
}

/** Parses the stored slug item (shared by the SDK path and the lean check path, which must not load the SDK). */
export function parseSlugItem(appId: string | undefined, feedJson: string | undefined): SlugRecord | undefined {
  if (!appId || !feedJson) return undefined;
  return { appId, feed: JSON.parse(feedJson) as Feed };
}
