import { createHash } from 'node:crypto';
import type { RouteDefinition, RouteDomain } from '../shared/http/route-definition.js';

/**
 * Which nested stack each route is deployed in. CloudFormation allows 500 resources per stack
 * (and 60 dynamic references per template; each route function carries one) and a route costs
 * about 7 resources, so each domain gets one nested stack, split into more when it would hold
 * more than MAX_ROUTES_PER_STACK routes.
 *
 * The split uses jump consistent hashing of the route id: adding or removing a route never moves
 * another one while its domain keeps its number of stacks, and when a domain needs one more
 * stack only the routes hashed into the new stack move. (A moved route is deleted from its old
 * stack after it is created in the new one, and API Gateway refuses two routes with the same key:
 * deploy such a change in two steps.)
 */
export const MAX_ROUTES_PER_STACK = 50;

export interface RouteStackPlan {
  /** Construct id of the nested stack: `<Domain>Routes`, then `<Domain>Routes2`, … */
  readonly id: string;
  readonly domain: RouteDomain;
  readonly routes: readonly RouteDefinition[];
}

/** Groups the routes by domain and splits a domain that would not fit one stack. */
export function planRouteStacks(routes: readonly RouteDefinition[], maxPerStack = MAX_ROUTES_PER_STACK): RouteStackPlan[] {
  const byDomain = new Map<RouteDomain, RouteDefinition[]>();
  for (const route of routes) byDomain.set(route.domain, [...(byDomain.get(route.domain) ?? []), route]);

  const plans: RouteStackPlan[] = [];
  for (const [domain, members] of [...byDomain].sort(([a], [b]) => a.localeCompare(b))) {
    const chunks = splitDomain(members, maxPerStack);
    const base = `${domain[0]?.toUpperCase()}${domain.slice(1)}Routes`;
    chunks.forEach((chunk, index) => {
      if (chunk.length > 0) plans.push({ id: index === 0 ? base : `${base}${index + 1}`, domain, routes: chunk });
    });
  }
  return plans;
}

function splitDomain(routes: readonly RouteDefinition[], maxPerStack: number): RouteDefinition[][] {
  for (let count = Math.max(1, Math.ceil(routes.length / maxPerStack)); ; count++) {
    const chunks: RouteDefinition[][] = Array.from({ length: count }, () => []);
    for (const route of routes) chunks[jumpHash(routeKey(route.id), count)]?.push(route);
    if (chunks.every((chunk) => chunk.length <= maxPerStack)) return chunks;
  }
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
