import { jsonText } from './text.js';

/** Squirrel.Mac's server-mode answer: it installs whatever a 200 returns, so only send one for an update. */
export interface SquirrelMacUpdate {
  url: string;
  name: string;
  notes: string;
  pub_date: string;
}

/** Renders the update JSON Squirrel.Mac reads (only `url` is required). Pure. */
export function renderSquirrelMac(update: { version: string; notes?: string; pubDate: string; url: string }): SquirrelMacUpdate {
  return { url: update.url, name: update.version, notes: jsonText(update.notes ?? ''), pub_date: update.pubDate };
}
