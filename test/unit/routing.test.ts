import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { matchRoute } from '../../local/gateway.js';
import { EVENT_FUNCTIONS, ROUTES } from '../../shared/routes.js';

describe('route table', () => {
  it('has one entry point in lambdas/ per route and event function, and unique ids and method+path', () => {
    for (const entry of [...ROUTES, ...EVENT_FUNCTIONS]) {
      assert.ok(existsSync(join(import.meta.dirname, '..', '..', 'lambdas', `${entry.handler}.ts`)), entry.handler);
    }
    assert.equal(new Set(ROUTES.map((r) => r.id)).size, ROUTES.length);
    assert.equal(new Set(ROUTES.map((r) => `${r.method} ${r.path}`)).size, ROUTES.length);
  });

  it('edge-caches only public GET routes', () => {
    for (const route of ROUTES.filter((r) => r.edgeCache)) {
      assert.equal(route.access.kind, 'public', route.id);
      assert.equal(route.method, 'GET', route.id);
    }
  });

  it('dispatches like API Gateway: literal segments win over parameters', () => {
    assert.equal(matchRoute('GET', '/api/sync/ota/apps/X/releases')?.route.id, 'ListReleases');
    assert.equal(matchRoute('DELETE', '/api/sync/ota/apps/X/releases/Y')?.route.id, 'DeleteRelease');
    assert.equal(matchRoute('GET', '/api/sync/ota/my-app/darwin/aarch64/1.0.0')?.route.id, 'CheckUpdate');
    // Four segments after the prefix: the literal "apps" wins over the check's {slug} ("apps" is a reserved slug).
    assert.equal(matchRoute('GET', '/api/sync/ota/apps/X/releases/Y')?.route.id, 'GetRelease');
    assert.equal(matchRoute('GET', '/api/sync/ota/my-app/latest/linux/x86_64')?.route.id, 'LatestDownload');
    assert.equal(matchRoute('PATCH', '/api/sync/ota/channels/C')?.route.id, 'UpdateChannel');
    const download = matchRoute('GET', '/api/sync/ota/my-app/download/R/linux/x86_64');
    assert.equal(download?.route.id, 'DownloadArtifact');
    assert.deepEqual(download?.params, { slug: 'my-app', release_id: 'R', target: 'linux', arch: 'x86_64' });
    assert.equal(matchRoute('POST', '/api/sync/ota/my-app/darwin/aarch64/1.0.0'), undefined);
    assert.equal(matchRoute('GET', '/api/sync/ota'), undefined);
  });
});
