import { createHash } from 'node:crypto';
import type { RouteDefinition, RouteDomain } from '../shared/http/route-definition.js';

/**
 * Which nested stack each route is deployed in: a function of the route alone (its domain and a
 * hash of its id), never of the other routes. CloudFormation creates a route's API Gateway route
 * in its new stack before it deletes the old one, and API Gateway refuses two routes with one key,
 * so a route that moved between stacks would fail the deploy. With a fixed number of shards per
 * domain, adding or removing routes never moves another one.
 *
 * Capacity: CloudFormation allows 500 resources (and 60 dynamic references) per template; a route
 * costs 7 resources, so a shard holds at most MAX_ROUTES_PER_STACK routes and a domain about
 * SHARDS_PER_DOMAIN × that. A full shard fails the synth: give new routes a new domain. Never
 * change SHARDS_PER_DOMAIN: that would move about two thirds of every domain's routes.
 */
export const MAX_ROUTES_PER_STACK = 50;
export const SHARDS_PER_DOMAIN = 3;

export interface RouteStackPlan {
  /** Construct id of the nested stack: `<Domain>Routes` for shard 0, then `<Domain>Routes2`, `<Domain>Routes3`. */
  readonly id: string;
  readonly domain: RouteDomain;
  readonly routes: readonly RouteDefinition[];
}

/** The nested stack of one route: its domain's shard chosen by the hash of its id. */
export function routeStackId(route: Pick<RouteDefinition, 'id' | 'domain'>): string {
  return shardStackId(route.domain, jumpHash(routeKey(route.id), SHARDS_PER_DOMAIN));
}

/** Groups the routes into their stacks (empty shards get no stack); refuses a shard over the limit. */
export function planRouteStacks(routes: readonly RouteDefinition[], maxPerStack = MAX_ROUTES_PER_STACK): RouteStackPlan[] {
  const byStack = new Map<string, { domain: RouteDomain; routes: RouteDefinition[] }>();
  for (const route of routes) {
    const id = routeStackId(route);
    const plan = byStack.get(id) ?? { domain: route.domain, routes: [] };
    plan.routes.push(route);
    byStack.set(id, plan);
  }
  const plans = [...byStack].sort(([a], [b]) => a.localeCompare(b)).map(([id, plan]) => ({ id, ...plan }));
  for (const plan of plans) {
    if (plan.routes.length > maxPerStack) {
      throw new Error(
        `Route stack ${plan.id} would hold ${plan.routes.length} routes (at most ${maxPerStack}): give new routes a new domain (changing the shard count moves routes between stacks)`,
      );
    }
  }
  return plans;
}

/**
 * Layouts deployed before this one, for the upgrade's first step (docs/operations.md#upgrade):
 * - `flat`: every route function and API route in the root stack (before nested stacks);
 * - `domain-stacks`: one nested stack per domain, split by a hash over a growing count past 50 routes.
 */
export type EarlierLayout = 'flat' | 'domain-stacks';
export const EARLIER_LAYOUTS: readonly EarlierLayout[] = ['flat', 'domain-stacks'];

/**
 * The routes whose API route would move stacks when upgrading from `layout`: the upgrade's first
 * deploy leaves their API routes out (deleting them from the old stack), the second creates them
 * in the new one (empty when every route stays).
 */
export function routesMovingFrom(layout: EarlierLayout, routes: readonly RouteDefinition[]): Set<string> {
  const earlier = layout === 'flat' ? new Map(routes.map((r) => [r.id, '(root)'])) : domainStacksLayout(routes);
  return new Set(routes.filter((r) => earlier.get(r.id) !== routeStackId(r)).map((r) => r.id));
}

/** The `domain-stacks` layout's stack of every route (jump hash over the smallest count that fit 50 per stack). */
function domainStacksLayout(routes: readonly RouteDefinition[]): Map<string, string> {
  const byDomain = new Map<RouteDomain, RouteDefinition[]>();
  for (const route of routes) byDomain.set(route.domain, [...(byDomain.get(route.domain) ?? []), route]);
  const stackOf = new Map<string, string>();
  for (const [domain, members] of byDomain) {
    for (let count = Math.max(1, Math.ceil(members.length / 50)); ; count++) {
      const shards = members.map((r) => jumpHash(routeKey(r.id), count));
      const sizes = shards.reduce((m, s) => m.set(s, (m.get(s) ?? 0) + 1), new Map<number, number>());
      if ([...sizes.values()].every((n) => n <= 50)) {
        for (const [i, r] of members.entries()) stackOf.set(r.id, shardStackId(domain, shards[i] ?? 0));
        break;
      }
    }
  }
  return stackOf;
}

function shardStackId(domain: RouteDomain, shard: number): string {
  const base = `${domain[0]?.toUpperCase()}${domain.slice(1)}Routes`;
  return shard === 0 ? base : `${base}${shard + 1}`;
}

function routeKey(id: string): bigint {
  return createHash('sha256').update(id).digest().readBigUInt64BE(0);
}

const MASK_64 = (1n << 64n) - 1n;

/** Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm" (2014). */
export function jumpHash(key: bigint, buckets: number): number {
  let b = -1;
  let j = 0;
  let k = key;
  while (j < buckets) {
    b = j;
    k = (k * 2862933555777941757n + 1n) & MASK_64;
    j = Math.floor((b + 1) * (2 ** 31 / (Number(k >> 33n) + 1)));
  }
  return b;
}
