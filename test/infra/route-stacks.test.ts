import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CfnResource, Stack } from 'aws-cdk-lib';
import { MAX_ROUTES_PER_STACK, planRouteStacks, routeStackId, SHARDS_PER_DOMAIN } from '../../infra/route-stacks.js';
import type { RouteDefinition, RouteDomain } from '../../shared/http/route-definition.js';
import { ROUTES } from '../../shared/routes.js';
import { logicalId, synthesize } from './support.js';

/**
 * A route table of the size the product is heading for: the real routes plus generated
 * management routes. All reuse the `health` entry point (bundling is skipped anyway).
 */
function largeTable(extra: number): RouteDefinition[] {
  return [...ROUTES, ...generated(extra, ['releases', 'releases', 'apps', 'catalog'])];
}

/** `count` generated management routes spread over `domains`. */
function generated(count: number, domains: readonly RouteDomain[]): RouteDefinition[] {
  return Array.from({ length: count }, (_, i): RouteDefinition => {
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
}

describe('nested stacks per route domain', () => {
  /** Where each route function and API route is: stack path and logical id, from the synthesized templates. */
  const placement = (s: ReturnType<typeof synthesize>) => {
    const found = new Map<string, string>();
    for (const [id, fn] of Object.entries(s.stack.routes.functions)) {
      const stack = Stack.of(fn);
      const route = s.stack.routes.httpRoutes[id];
      assert.ok(route, id);
      const fnId = logicalId(stack, fn.node.defaultChild as CfnResource);
      const routeId = logicalId(stack, route.node.defaultChild as CfnResource);
      assert.ok(s.template(stack).Resources[fnId] && s.template(stack).Resources[routeId], id);
      const nested = stack.nestedStackResource ? logicalId(s.stack, stack.nestedStackResource) : '(root)';
      found.set(id, `${nested} ${fnId} ${routeId}`);
    }
    return found;
  };

  it('puts each route in a shard of its domain, named after the domain and the shard', () => {
    const plans = planRouteStacks(ROUTES);
    for (const plan of plans) {
      assert.ok(plan.routes.every((r) => r.domain === plan.domain));
      assert.match(plan.id, new RegExp(`^${plan.domain[0]?.toUpperCase()}${plan.domain.slice(1)}Routes[23]?$`));
      assert.ok(plan.routes.every((r) => routeStackId(r) === plan.id));
    }
    assert.ok(plans.length <= 7 * SHARDS_PER_DOMAIN);
  });

  it('never moves a route when 50 routes are added to one domain (same nested stack, same logical ids)', () => {
    const domain: RouteDomain = 'faynosync';
    const fifty = generated(50, [domain]);
    const before = synthesize({}, { id: 'Stable' });
    const after = synthesize({ routes: [...ROUTES, ...fifty] }, { id: 'Stable' });
    const was = placement(before);
    const now = placement(after);
    for (const route of ROUTES) assert.equal(now.get(route.id), was.get(route.id), route.id);
    // The new routes landed in more than one shard, and none over the limit.
    const shards = new Set(fifty.map(routeStackId));
    assert.ok(shards.size > 1, [...shards].join());
    for (const plan of planRouteStacks([...ROUTES, ...fifty])) assert.ok(plan.routes.length <= MAX_ROUTES_PER_STACK, plan.id);
    // Every nested stack of before is still there under the same logical id.
    const stackIds = (s: typeof before) =>
      Object.entries(s.template(s.stack).Resources)
        .filter(([, r]) => r.Type === 'AWS::CloudFormation::Stack')
        .map(([id]) => id);
    for (const id of stackIds(before)) assert.ok(stackIds(after).includes(id), id);
  });

  it('removing routes moves none of the others either', () => {
    const table = [...ROUTES, ...generated(120, ['releases', 'apps', 'catalog'])];
    const full = new Map(planRouteStacks(table).flatMap((p) => p.routes.map((r) => [r.id, p.id] as const)));
    const fewer = table.filter((_, i) => i % 3 !== 0);
    for (const plan of planRouteStacks(fewer)) for (const route of plan.routes) assert.equal(plan.id, full.get(route.id), route.id);
  });

  it('refuses a shard over the limit instead of moving routes', () => {
    assert.throws(() => planRouteStacks([...ROUTES, ...generated(200, ['koolbase'])]), /give new routes a new domain/);
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
