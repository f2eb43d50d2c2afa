import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { matchRoute } from '../../local/gateway.js';
import { EVENT_FUNCTIONS, ROUTES } from '../../shared/routes.js';
import { keys, objectKeys } from '../../shared/storage/keys.js';

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
      assert.equal(route.access, 'public', route.id);
      assert.equal(route.method, 'GET', route.id);
    }
  });

  it('dispatches like API Gateway: literal segments win over parameters', () => {
    assert.equal(matchRoute('GET', '/api/sync/ota/apps/X/releases')?.route.id, 'ListReleases');
    assert.equal(matchRoute('DELETE', '/api/sync/ota/apps/X/releases/Y')?.route.id, 'DeleteRelease');
    assert.equal(matchRoute('GET', '/api/sync/ota/my-app/darwin/aarch64/1.0.0')?.route.id, 'CheckUpdate');
    // A GET on a management-shaped path with four segments is a check of the reserved slug "apps".
    assert.equal(matchRoute('GET', '/api/sync/ota/apps/X/releases/Y')?.route.id, 'CheckUpdate');
    const download = matchRoute('GET', '/api/sync/ota/my-app/download/R/linux/x86_64');
    assert.equal(download?.route.id, 'DownloadArtifact');
    assert.deepEqual(download?.params, { slug: 'my-app', release_id: 'R', target: 'linux', arch: 'x86_64' });
    assert.equal(matchRoute('POST', '/api/sync/ota/my-app/darwin/aarch64/1.0.0'), undefined);
    assert.equal(matchRoute('GET', '/api/sync/ota'), undefined);
  });
});

describe('keys', () => {
  it('round-trips artifact object keys and refuses anything else', () => {
    const key = objectKeys.artifact('01ARZ3NDEKTSV4RRFFQ69G5FAV', '01ARZ3NDEKTSV4RRFFQ69G5FAW', 'windows', 'x86_64');
    assert.equal(key, 'ota/01ARZ3NDEKTSV4RRFFQ69G5FAV/01ARZ3NDEKTSV4RRFFQ69G5FAW/windows-x86_64');
    assert.deepEqual(objectKeys.parseArtifact(key), {
      appId: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      releaseId: '01ARZ3NDEKTSV4RRFFQ69G5FAW',
      platform: 'windows-x86_64',
    });
    for (const bad of ['ota/x/y/z', 'other/01ARZ3NDEKTSV4RRFFQ69G5FAV/01ARZ3NDEKTSV4RRFFQ69G5FAW/linux-x86_64', `${key}/../etc`]) {
      assert.equal(objectKeys.parseArtifact(bad), undefined, bad);
    }
  });
  it('keeps every item of an app in one collection', () => {
    const pk = keys.app('A').PK;
    for (const k of [keys.release('A', 'R'), keys.versionClaim('A', '1.0.0'), keys.artifact('A', 'R', 'linux', 'x86_64')])
      assert.equal(k.PK, pk);
    assert.notEqual(keys.slug('a-b').PK, pk);
  });
});
