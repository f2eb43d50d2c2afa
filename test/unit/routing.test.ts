import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { handler as notFound } from '../../lambdas/not-found.js';
import { matchRoute } from '../../local/gateway.js';
import type { HttpEvent } from '../../shared/http/http-types.js';
import { methodsOfPath } from '../../shared/http/method-not-allowed.js';
import { apiRoute } from '../../shared/http/middleware.js';
import { createAppBody, updateAppBody } from '../../shared/http/schemas.js';
import { EVENT_FUNCTIONS, ROUTES, routeById } from '../../shared/routes.js';

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

function eventOf(method: string, rawPath: string): HttpEvent {
  return { rawPath, headers: {}, requestContext: { http: { method, path: rawPath } } };
}

describe('405 with Allow on a known path', () => {
  const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

  it('allows exactly the methods the gateway routes on every path of the table', () => {
    for (const route of ROUTES.filter((r) => r.path !== '$default')) {
      const path = route.path.replace(/\{(\w+)\}/g, 'sample-$1');
      const known = methodsOfPath(ROUTES, path);
      assert.ok(known?.allow.includes(route.method), route.id);
      for (const method of METHODS) {
        assert.equal(known?.allow.includes(method), matchRoute(method, path) !== undefined, `${method} ${path}`);
      }
    }
    assert.equal(methodsOfPath(ROUTES, '/api/sync/ota'), undefined);
    assert.equal(methodsOfPath(ROUTES, '/api/sync/ota/apps/'), undefined, 'an empty segment matches no parameter');
  });

  it('answers the `$default` route with 405 and Allow in the face of the path, and 404 for an unknown path', async () => {
    const service = await notFound(eventOf('PATCH', '/api/sync/ota/apps'));
    assert.equal(service.statusCode, 405);
    assert.equal(service.headers?.allow, 'GET, POST');
    assert.equal(JSON.parse(service.body ?? '').error.code, 'method_not_allowed');
    const fayno = await notFound(eventOf('POST', '/checkVersion'));
    assert.equal(fayno.statusCode, 405);
    assert.equal(fayno.headers?.allow, 'GET');
    assert.equal(typeof JSON.parse(fayno.body ?? '').error, 'string');
    const unknown = await notFound(eventOf('GET', '/no/such/path'));
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.headers?.allow, undefined);
  });
});

describe('typed routes', () => {
  it("builds every handler of a route with request schemas from the table's own schemas", async () => {
    // apiRoute throws at load when a handler's schemas (which type its request) are not its route's.
    for (const route of ROUTES.filter((r) => r.request)) {
      const module = await import(`../../lambdas/${route.handler}.ts`);
      assert.equal(typeof module.handler, 'function', route.id);
    }
  });

  it("refuses schemas other than the route's, or none where the route declares some", () => {
    const reader = () => {
      throw new Error('not read');
    };
    assert.throws(() => apiRoute(routeById('CreateApp'), reader, { body: updateAppBody }, async () => ({ statusCode: 200 })), /CreateApp/);
    assert.throws(() => apiRoute(routeById('CreateApp'), reader, async () => ({ statusCode: 200 })), /CreateApp/);
    apiRoute(routeById('CreateApp'), reader, { body: createAppBody }, async ({ body }) => ({ statusCode: 200, body: body.name }));
  });
});
