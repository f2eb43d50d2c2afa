/** The pieces behind the console's operations screens that run outside a browser: client snippets, what is served, the typed keys. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type * as z from 'zod/mini';
import type { KoolbaseKey } from '../../console/src/operations-ops.js';
import type { keyAnswer } from '../../shared/faces/koolbase/schemas.js';
import { CLIENT_SNIPPETS, renderClientSnippet, SNIPPET_NAMES } from '../../shared/protocols/client-snippets.js';

const DOCS = join(import.meta.dirname, '..', '..', 'docs');

/** The code block under `<!-- snippet: name` on a docs page, with its language. */
function docsBlock(page: string, name: string): { language: string; text: string } {
  const lines = readFileSync(join(DOCS, page), 'utf8').split('\n');
  const marker = lines.findIndex((line) => line.startsWith(`<!-- snippet: ${name} `) || line === `<!-- snippet: ${name} -->`);
  assert.ok(marker >= 0, `docs/${page} has no "${name}" snippet`);
  const open = lines[marker + 1] ?? '';
  const close = lines.findIndex((line, i) => i > marker + 1 && line === '```');
  return { language: open.slice(3), text: lines.slice(marker + 2, close).join('\n') };
}

// The console's hand-written Koolbase key type is the schema's output, both ways (a compile-time check).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const keyTypeMatches: Same<KoolbaseKey, z.output<typeof keyAnswer>> = true;

describe('client snippets (ota config and the console)', () => {
  for (const name of SNIPPET_NAMES) {
    it(`${name}: the docs print exactly the snippet the builders fill in`, () => {
      const snippet = CLIENT_SNIPPETS[name];
      assert.deepEqual(docsBlock(snippet.page, name), { language: snippet.language, text: snippet.template });
    });
  }

  it('fills in the app: URL, slug, id, name, owner, key, channel', () => {
    const app = { apiUrl: 'https://u.example.com/', id: '01APP', name: 'My App', slug: 'my-app', tauriPubkey: 'PUBKEY', owner: 'ann' };
    const tauri = JSON.parse(renderClientSnippet('tauri', { ...app, channel: 'beta' }));
    assert.equal(tauri.plugins.updater.pubkey, 'PUBKEY');
    assert.equal(
      tauri.plugins.updater.endpoints[0],
      'https://u.example.com/api/sync/ota/my-app/{{target}}/{{arch}}/{{current_version}}?bundle_type={{bundle_type}}&channel=beta',
    );
    assert.match(
      renderClientSnippet('faynosync', { ...app, channel: 'beta' }),
      /checkVersion\?owner=ann&app_name=My%20App&.*&channel=beta&/,
    );
    assert.match(renderClientSnippet('koolbase', app), /project 01APP[\s\S]*baseUrl: 'https:\/\/u\.example\.com',/);
    assert.match(renderClientSnippet('velopack', { ...app, channel: 'beta' }), /feeds\/my-app\/beta\/velopack/);
    assert.throws(() => renderClientSnippet('sparkle', { ...app, slug: null }), /slug/);
    assert.ok(keyTypeMatches);
  });
});
