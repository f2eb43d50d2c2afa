import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  pathPattern,
  patternCovers,
  patternMatches,
  patternsMeet,
  planEdgeBehaviors,
  templateMeetsPattern,
  templateStartsWith,
} from '../../infra/edge-behaviors.js';
import type { RouteDefinition } from '../../shared/http/route-definition.js';
import { ROUTES } from '../../shared/routes.js';

const route = (id: string, path: string, edgeCache: RouteDefinition['edgeCache'] = false, method: RouteDefinition['method'] = 'GET') =>
  ({
    id,
    method,
    path,
    handler: 'health',
    access: { kind: 'public' },
    edgeCache,
    grants: [],
    domain: 'public',
    summary: id,
    responses: {},
  }) as const;

describe('edge behaviour planning', () => {
  it('matches paths the way CloudFront does: * crosses /, ? is one character, case counts', () => {
    assert.equal(pathPattern('/a/{slug}/b/{id}'), '/a/*/b/*');
    assert.ok(patternMatches('/a/*', '/a/x/y/z'));
    assert.ok(patternMatches('/a/?', '/a/x'));
    assert.ok(!patternMatches('/a/?', '/a/xy'));
    assert.ok(!patternMatches('/A/*', '/a/x'));
  });

  it('decides whether a route template and a pattern share a path', () => {
    assert.ok(templateMeetsPattern('/api/apps/{app}/releases/{release}', '/api/*/*/*/*'));
    assert.ok(!templateMeetsPattern('/api/apps/{app}/releases', '/api/*/*/*/*'));
    assert.ok(!templateMeetsPattern('/api/{a}', '/api/*/*'), 'a parameter never holds a /');
    assert.ok(templateMeetsPattern('/api/{a}/x', '/api/*x'));
    assert.ok(patternsMeet('/x/*/a', '/x/b/*'));
    assert.ok(!patternsMeet('/x/*', '/y/*'));
    assert.ok(patternCovers('/a/*/r/*', '/a/*/r/*/p'));
    assert.ok(!patternCovers('/a/*/r/*/p', '/a/*/r/*'));
  });

  it('puts a not-cached behaviour before a cacheable pattern that would catch a management route', () => {
    const plan = planEdgeBehaviors([
      route('Check', '/api/{slug}/{target}/{version}', { query: ['channel'] }),
      route('GetRelease', '/api/apps/{app}/releases/{id}'),
      route('ListApps', '/api/apps'),
    ]);
    assert.deepEqual(
      plan.map((b) => [b.pattern, b.caching.cached]),
      [
        ['/api/apps/*/releases/*', false],
        ['/api/*/*/*', true],
      ],
    );
  });

  it('keys each cacheable route on exactly its declared query parameters, and orders the more specific first', () => {
    const plan = planEdgeBehaviors([
      route('Check', '/api/{slug}/{target}/{arch}/{version}', { query: ['channel', 'bundle_type'] }),
      route('Download', '/api/{slug}/download/{release}/{target}/{arch}', { query: ['package'] }),
    ]);
    assert.deepEqual(
      plan.map((b) => [b.pattern, b.caching]),
      [
        ['/api/*/download/*/*/*', { cached: true, query: ['package'], deviceBucket: false }],
        ['/api/*/*/*/*', { cached: true, query: ['bundle_type', 'channel'], deviceBucket: false }],
      ],
    );
  });

  it('needs no behaviour for routes no cacheable pattern can reach, and merges those one pattern covers', () => {
    const plan = planEdgeBehaviors([
      route('Check', '/api/{slug}/{target}/{version}', { query: [] }),
      route('Health', '/health'),
      route('Release', '/api/apps/{app}/releases/{id}'),
      route('Publish', '/api/apps/{app}/releases/{id}/publish', false, 'POST'),
    ]);
    assert.deepEqual(
      plan.map((b) => [b.pattern, [...b.routeIds].sort()]),
      [
        ['/api/apps/*/releases/*', ['Publish', 'Release']],
        ['/api/*/*/*', ['Check']],
      ],
    );
  });

  it('refuses tables the edge cannot serve: disagreeing routes on one path, a cached non-GET', () => {
    assert.throws(() => planEdgeBehaviors([route('A', '/x/{id}', { query: [] }), route('B', '/x/{id}', false, 'DELETE')]), /disagree/);
    assert.throws(() => planEdgeBehaviors([route('A', '/x/{id}', { query: [] }, 'POST')]), /not a GET/);
  });

  it('collapses not-cached shadows under one literal prefix into one behaviour, unless a cached route can start with it', () => {
    const table = [
      route('Check', '/api/{slug}/{target}/{version}', { query: ['channel'] }),
      route('GetRelease', '/api/apps/{app}/releases/{id}'),
      route('GetPin', '/api/apps/{app}/pins/{id}'),
      route('Rollback', '/api/apps/{app}/channels/{channel}/rollback'),
    ];
    // A slug is never "apps" (a reserved word): one behaviour serves the three.
    assert.deepEqual(
      planEdgeBehaviors(table).map((b) => [b.pattern, b.caching.cached, b.routeIds.length]),
      [
        ['/api/apps/*', false, 3],
        ['/api/*/*/*', true, 1],
      ],
    );
    // Were "apps" a slug an app could take, its checks would fall under the wide pattern: no collapse.
    assert.equal(planEdgeBehaviors(table, {}).length, 4);
    assert.ok(templateStartsWith('/api/{slug}/{t}', '/api/apps/', {}));
    assert.ok(!templateStartsWith('/api/{slug}/{t}', '/api/apps/'));
    assert.ok(!templateStartsWith('/api/{slug}', '/api/x/'), 'a path of as many segments does not go on');
    assert.ok(templateStartsWith('/files/{name}.blockmap/x', '/files/a.blockmap/'));
    assert.ok(!templateStartsWith('/files/{name}.blockmap/x', '/files/a.zip/'));
  });

  it('plans the product route table within the behaviour quota', () => {
    const plan = planEdgeBehaviors(ROUTES);
    assert.ok(plan.length + 2 <= 25, 'with the artifact and default behaviours');
    assert.deepEqual(
      plan
        .filter((b) => b.caching.cached)
        .flatMap((b) => b.routeIds)
        .sort(),
      ROUTES.filter((r) => r.edgeCache !== false)
        .map((r) => r.id)
        .sort(),
    );
  });
});
