/**
 * Every client's configuration snippet, as the docs print it (each under a `<!-- snippet: name -->`
 * line of its page; test/unit/client-snippets.test.ts proves the page shows exactly this text), and
 * filled in for one app. `ota config <client>` prints them; the console shows them with a copy button.
 */

/** A snippet: the docs page it appears on, the code block's language, and its text with placeholders. */
export interface SnippetDefinition {
  page: string;
  language: string;
  /** Clients that address the app by its slug (all but faynoSync, by name, and Koolbase, by id). */
  needsSlug: boolean;
  template: string;
}

export const CLIENT_SNIPPETS = {
  tauri: {
    page: 'native-api.md',
    language: 'json',
    needsSlug: true,
    template: `{
  "plugins": {
    "updater": {
      "pubkey": "<contents of the .key.pub from \`tauri signer generate\`>",
      "endpoints": [
        "https://<ApiUrl>/api/sync/ota/<slug>/{{target}}/{{arch}}/{{current_version}}?bundle_type={{bundle_type}}"
      ]
    }
  }
}`,
  },
  electron: {
    page: 'feeds.md',
    language: 'yaml',
    needsSlug: true,
    template: `# electron-builder.yml
publish:
  provider: generic
  url: https://<ApiUrl>/feeds/<slug>/electron/
  channel: latest          # or beta: reads beta-mac.yml, …`,
  },
  sparkle: {
    page: 'feeds.md',
    language: 'xml',
    needsSlug: true,
    template: `<!-- Info.plist (Sparkle) -->
<key>SUFeedURL</key><string>https://<ApiUrl>/feeds/<slug>/stable/sparkle/aarch64/appcast.xml</string>`,
  },
  velopack: {
    page: 'feeds.md',
    language: 'csharp',
    needsSlug: true,
    template: `// Program.cs (Velopack)
var mgr = new UpdateManager(new SimpleWebSource("https://<ApiUrl>/feeds/<slug>/stable/velopack"));`,
  },
  faynosync: {
    page: 'faynosync.md',
    language: 'text',
    needsSlug: false,
    template: `# faynoSync SDK or client: the check URL (X-Device-ID counts the device in the telemetry)
https://<ApiUrl>/checkVersion?owner=<owner>&app_name=<app_name>&version=<current version>&channel=stable&platform=<platform>&arch=<arch>`,
  },
  koolbase: {
    page: 'koolbase.md',
    language: 'dart',
    needsSlug: false,
    template: `// main.dart (koolbase_flutter), before runApp()
await Koolbase.initialize(const KoolbaseConfig(
  publicKey: 'pk_live_…', // an SDK key of project <project_id>, shown once when created
  baseUrl: 'https://<ApiUrl>',
));`,
  },
} as const satisfies Record<string, SnippetDefinition>;

export type SnippetName = keyof typeof CLIENT_SNIPPETS;

export const SNIPPET_NAMES = Object.keys(CLIENT_SNIPPETS) as SnippetName[];

/** What a snippet is filled in with. */
export interface SnippetApp {
  /** The API's base URL, with its scheme (`https://updates.example.com`). */
  apiUrl: string;
  id: string;
  name: string;
  slug: string | null;
  tauriPubkey: string | null;
  /** The account owner's user name (faynoSync's `owner`); left as a placeholder when unknown. */
  owner?: string;
  channel?: string;
}

/** The snippet filled in for an app: URL, slug, id, name, owner, updater key and channel. Needs a slug where the client uses one. */
export function renderClientSnippet(name: SnippetName, app: SnippetApp): string {
  const snippet: SnippetDefinition = CLIENT_SNIPPETS[name];
  if (snippet.needsSlug && !app.slug) throw new Error(`The ${name} snippet needs the app's slug`);
  const apiUrl = app.apiUrl.replace(/\/+$/, '');
  let text = snippet.template
    .replaceAll('https://<ApiUrl>', apiUrl)
    .replaceAll('<ApiUrl>', apiUrl)
    .replaceAll('<slug>', app.slug ?? '<slug>')
    .replaceAll('<project_id>', app.id)
    .replaceAll('<app_name>', encodeURIComponent(app.name));
  if (app.owner) text = text.replaceAll('<owner>', encodeURIComponent(app.owner));
  if (app.tauriPubkey) text = text.replace(/<contents of the \.key\.pub[^>]*>/, app.tauriPubkey.trim());
  if (app.channel) {
    text = text.replaceAll('/stable/', `/${app.channel}/`).replace('&channel=stable&', `&channel=${encodeURIComponent(app.channel)}&`);
    if (name === 'tauri') text = text.replace('?bundle_type={{bundle_type}}', `?bundle_type={{bundle_type}}&channel=${app.channel}`);
    if (name === 'electron') text = text.replace(/channel: latest.*/, `channel: ${app.channel === 'stable' ? 'latest' : app.channel}`);
  }
  return text;
}
