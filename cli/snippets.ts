import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, EXIT } from './errors.js';

/**
 * Client snippets, read from the docs themselves (the block under a `<!-- snippet: name -->` line),
 * so `ota config` prints exactly what the docs show, filled in for one app.
 */
export const SNIPPET_PAGES = { tauri: 'native-api.md', electron: 'feeds.md', sparkle: 'feeds.md', velopack: 'feeds.md' } as const;
export type SnippetName = keyof typeof SNIPPET_PAGES;

const DOCS = join(import.meta.dirname, '..', 'docs');

/** The snippet's code block as the docs print it (placeholders included). */
export function snippetTemplate(name: SnippetName): string {
  const lines = readFileSync(join(DOCS, SNIPPET_PAGES[name]), 'utf8').split('\n');
  const marker = lines.findIndex((line) => line.startsWith(`<!-- snippet: ${name}`));
  const open = marker + 1;
  if (marker < 0 || !/^```\w*$/.test(lines[open] ?? '')) throw new Error(`docs/${SNIPPET_PAGES[name]} has no "${name}" snippet`);
  const close = lines.findIndex((line, i) => i > open && line === '```');
  return lines.slice(open + 1, close).join('\n');
}

export interface SnippetApp {
  apiUrl: string;
  slug: string | null;
  tauriPubkey: string | null;
  channel?: string;
}

/** The snippet filled in for an app: its URL, slug, updater key and channel. */
export function renderSnippet(name: SnippetName, app: SnippetApp): string {
  if (!app.slug)
    throw new CliError('The app has no slug: clients address it by slug', EXIT.usage, 'give it one: ota apps slug <app> <slug>');
  let text = snippetTemplate(name)
    .replaceAll('https://<ApiUrl>', app.apiUrl)
    .replaceAll('<ApiUrl>', app.apiUrl)
    .replaceAll('<slug>', app.slug);
  if (app.tauriPubkey) text = text.replace(/<contents of the \.key\.pub[^>]*>/, app.tauriPubkey.trim());
  if (app.channel) {
    text = text.replaceAll('/stable/', `/${app.channel}/`);
    if (name === 'tauri') text = text.replace('?bundle_type={{bundle_type}}', `?bundle_type={{bundle_type}}&channel=${app.channel}`);
    if (name === 'electron') text = text.replace(/channel: latest.*/, `channel: ${app.channel === 'stable' ? 'latest' : app.channel}`);
  }
  return text;
}
