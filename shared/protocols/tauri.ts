import type { FeedFile, FeedRelease } from '../domain/feed.js';
import { jsonText } from './text.js';

/** The Tauri v2 updater's dynamic-server response (plugins/updater `RemoteRelease`). */
export interface TauriUpdateResponse {
  version: string;
  url: string;
  signature: string;
  notes: string;
  pub_date: string;
}

/**
 * Renders an update offer exactly as the Tauri updater reads it (the SyncKit shape). Pure.
 * `notes` are the release notes, or the Markdown changelog when there are none (see the feed builder).
 */
export function renderTauriUpdate(release: FeedRelease, file: FeedFile, downloadUrl: string): TauriUpdateResponse {
  return {
    version: release.version,
    url: downloadUrl,
    signature: file.signature ?? '',
    notes: jsonText(release.notes ?? ''),
    pub_date: release.pubDate,
  };
}
