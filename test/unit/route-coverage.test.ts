import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROUTES } from '../../shared/routes.js';

const TEST_ROOT = join(import.meta.dirname, '..');

function sources(dir: string): string {
  return readdirSync(join(TEST_ROOT, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(TEST_ROOT, dir, f), 'utf8'))
    .join('\n');
}

describe('route coverage', () => {
  it('every route of the route table is called over HTTP by an integration test', () => {
    const code = sources('integration') + sources('support');
    const missing = ROUTES.filter((route) => {
      // The catch-all route: any request no other route matches.
      if (route.path === '$default') return !/request\('GET', '\/nope'\)/.test(code);
      const path = route.path
        .split('/')
        .map((segment) => (segment.startsWith('{') ? '[^/`\'"]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/');
      // Tests call the native API either with its full path or relative to its prefix (`api('GET', '/apps')`).
      const relative = path.replace(/^\/api\/sync\/ota/, '(?:/api/sync/ota)?');
      return !new RegExp(`'${route.method}',\\s*[\`'"]${relative}[\`'"?]`).test(code);
    });
    assert.deepEqual(
      missing.map((r) => `${r.method} ${r.path}`),
      [],
    );
  });
});
