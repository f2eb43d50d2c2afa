import { jsonText } from './text.js';

/** One platform entry of a Tauri static update file. */
export interface TauriStaticPlatform {
  url: string;
  signature: string;
}

/** Tauri's static JSON: one version, and per `os-arch` or `os-arch-bundle` key a URL and its signature. */
export interface TauriStaticFeed {
  version: string;
  notes: string;
  pub_date: string;
  platforms: Record<string, TauriStaticPlatform>;
}

/** Renders the static `latest.json` the Tauri updater reads (it looks up `os-arch-bundle`, then `os-arch`). Pure. */
export function renderTauriStatic(feed: {
  version: string;
  notes?: string;
  pubDate: string;
  platforms: Record<string, TauriStaticPlatform>;
}): TauriStaticFeed {
  return { version: feed.version, notes: jsonText(feed.notes ?? ''), pub_date: feed.pubDate, platforms: feed.platforms };
}
