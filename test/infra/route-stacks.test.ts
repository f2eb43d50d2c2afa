import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_ROUTES_PER_STACK, planRouteStacks } from '../../infra/route-stacks.js';
import type { RouteDefinition, RouteDomain } from '../../shared/http/route-definition.js';
import { ROUTES } from '../../shared/routes.js';
import { synthesize } from './support.js';

/**
 * A route table of the size the product is heading for: the real routes plus generated
 * management routes. All reuse the `health` entry point (bundling is skipped anyway).
 */
function largeTable(extra: number): RouteDefinition[] {
  const domains: RouteDomain[] = ['releases', 'releases', 'apps', 'catalog'];
  const generated = Array.from({ length: extra }, (_, i): RouteDefinition => {
    const domain = domains[i % domains.length] as RouteDomain;
    return {
      id: `Generated${i}`,
      method: i % 2 === 0 ? 'GET' : 'POST',
      path: `/api/sync/ota/generated-${domain}-${Math.floor(i / 2)}${i % 4 < 2 ? '' : '/{item_id}'}`,
      handler: 'health',
      access: { kind: 'caller', resourceType: 'app', action: 'edit', resource: { type: 'account' } },
      edgeCache: false,
      grants: ['table:write'],
      domain,
      summary: `Generated route ${i}`,
      responses: {},
    };
  });
  return [...ROUTES, ...generated];
}

describe('nested stacks per route domain', () => {
  it('puts each domain of the product table in one nested stack', () => {
    const plans = planRouteStacks(ROUTES);
    assert.deepEqual(plans.map((p) => p.id).sort(), [
      'AccessRoutes',
      'AppsRoutes',
      'CatalogRoutes',
      'FaynosyncRoutes',
      'KoolbaseRoutes',
      'PublicRoutes',
      'ReleasesRoutes',
    ]);
    for (const plan of plans) assert.ok(plan.routes.every((r) => r.domain === plan.domain));
  });

  it('splits a large domain, never beyond the per-stack limit, and adding a route moves no other', () => {
    const table = largeTable(160);
    const before = planRouteStacks(table);
    assert.ok(before.filter((p) => p.domain === 'releases').length > 1, 'releases is split');
    for (const plan of before) assert.ok(plan.routes.length <= MAX_ROUTES_PER_STACK, plan.id);
    assert.equal(before.flatMap((p) => p.routes).length, table.length, 'every route placed once');

    const after = planRouteStacks([...table, { ...(table[0] as RouteDefinition), id: 'BrandNew', domain: 'releases' }]);
    const stackOf = (plans: typeof before, id: string) => plans.find((p) => p.routes.some((r) => r.id === id))?.id;
    for (const route of table) assert.equal(stackOf(after, route.id), stackOf(before, route.id), route.id);
  });

  it('keeps the root and every nested stack below 450 resources with a 150+ route table', () => {
    const table = largeTable(130);
    assert.ok(table.length >= 150);
    const s = synthesize({ routes: table }, { id: 'Large' });
    assert.ok(s.stack.routes.stacks.length > 4, 'a domain was split');
    const counts = s.stacks.map((stack) => [stack.node.path, Object.keys(s.template(stack).Resources).length] as const);
    for (const [path, count] of counts) assert.ok(count < 450, `${path}: ${count} resources`);
    for (const stack of s.stacks) {
      const references = (JSON.stringify(s.template(stack)).match(/\{\{resolve:/g) ?? []).length;
      assert.ok(references <= 60, `${stack.node.path}: ${references} dynamic references (CloudFormation resolves 60 per template)`);
    }
    assert.equal(Object.keys(s.stack.routes.functions).length, table.length);
  });
});
