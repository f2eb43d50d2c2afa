import type { FeedEntry } from '../domain/feed.js';

/** The Tauri v2 updater's dynamic-server response (plugins/updater `RemoteRelease`). */
export interface TauriUpdateResponse {
  version: string;
  url: string;
  signature: string;
  notes: string;
  pub_date: string;
}

/** Renders an update offer exactly as the Tauri updater reads it. Pure. */
export function renderTauriUpdate(entry: FeedEntry, downloadUrl: string): TauriUpdateResponse {
  return { version: entry.version, url: downloadUrl, signature: entry.signature, notes: entry.notes, pub_date: entry.pubDate };
}
