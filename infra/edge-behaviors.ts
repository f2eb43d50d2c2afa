import { RESERVED_SLUGS } from '../shared/domain/slug.js';
import type { RouteDefinition } from '../shared/http/route-definition.js';

/**
 * CloudFront cache behaviours derived from the route table's `edgeCache` field.
 *
 * CloudFront picks the first behaviour whose path pattern matches (`*` matches any run of
 * characters, `/` included; `?` exactly one), so a cacheable route's pattern can also catch
 * management paths: `/api/sync/ota/*\/*\/*\/*` (the update check) matches
 * `/api/sync/ota/apps/{app_id}/releases/{release_id}`. Every route whose paths a cacheable
 * pattern could catch gets its own behaviour placed before it. Everything is computed from
 * the table; no path prefix is typed here.
 */

/** How the edge treats a path: not cached, or cached with exactly these query parameters in the key. */
export type EdgeCaching =
  | { readonly cached: false }
  | {
      readonly cached: true;
      readonly query: readonly string[];
      readonly deviceBucket: boolean;
      readonly apiKeyHash?: boolean;
      /** A private app's download token reaches the origin (header and query forwarded, Authorization in the key). */
      readonly downloadToken?: boolean;
    };

export interface PlannedBehavior {
  /** CloudFront path pattern. */
  readonly pattern: string;
  readonly caching: EdgeCaching;
  /** The routes this behaviour exists for (documentation and tests). */
  readonly routeIds: readonly string[];
}

/** CloudFront's default quota of cache behaviours per distribution. */
export const MAX_CACHE_BEHAVIORS = 25;

/** The API Gateway route key that catches every request no route matches. */
const DEFAULT_ROUTE_PATH = '$default';

/** The CloudFront path pattern of a route path: every `{param}` segment becomes `*`. */
export function pathPattern(path: string): string {
  return path.replace(/\{[^}/]+\}/g, '*');
}

/** A concrete path of a route template (each `{param}` replaced by its name), used to check behaviours. */
export function samplePath(path: string): string {
  return path.replace(/\{([^}/]+)\}/g, '$1');
}

/** The edge caching a route declares; query parameters sorted so equal keys compare equal. */
export function cachingOf(route: RouteDefinition): EdgeCaching {
  return route.edgeCache === false
    ? { cached: false }
    : {
        cached: true,
        query: [...new Set(route.edgeCache.query)].sort(),
        deviceBucket: route.edgeCache.deviceBucket === true,
        ...(route.edgeCache.apiKeyHash ? { apiKeyHash: true } : {}),
        ...(route.edgeCache.downloadToken ? { downloadToken: true } : {}),
      };
}

/** A stable name for a caching: `none`, or the query parameters joined. */
export function cachingKey(caching: EdgeCaching): string {
  return caching.cached
    ? `query:${caching.query.join(',')}${caching.deviceBucket ? '+bucket' : ''}${caching.apiKeyHash ? '+keyhash' : ''}${caching.downloadToken ? '+token' : ''}`
    : 'none';
}

/** Whether a concrete path matches a CloudFront path pattern (case-sensitive, `*` and `?` wildcards). */
export function patternMatches(pattern: string, path: string): boolean {
  const source = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`).test(path);
}

/**
 * Orders the behaviours the API origin needs. The default behaviour (not cached) is not part of
 * the result. Throws when the table cannot be served correctly by path patterns, so a route that
 * would be cached wrongly fails the synth instead of reaching users.
 */
export function planEdgeBehaviors(routes: readonly RouteDefinition[], reserved: ReservedSegments = RESERVED_SEGMENTS): PlannedBehavior[] {
  const groups = groupByPath(routes.filter((r) => r.path !== DEFAULT_ROUTE_PATH)).sort((a, b) => compareSpecificity(a.path, b.path));
  const cacheable = groups.filter((g) => g.caching.cached);
  const needed = groups.filter((g) => g.caching.cached || cacheable.some((c) => templateMeetsPattern(g.path, pathPattern(c.path))));
  const pruned = prune(needed.map((g) => ({ pattern: pathPattern(g.path), caching: g.caching, routeIds: g.routeIds })));
  const behaviors = collapseUncached(
    pruned,
    cacheable.map((g) => g.path),
    reserved,
  );

  for (const route of routes) {
    if (route.path === DEFAULT_ROUTE_PATH) continue;
    const path = samplePath(route.path);
    const hit = behaviors.find((b) => patternMatches(b.pattern, path));
    const landed = hit ? hit.caching : ({ cached: false } as const);
    if (cachingKey(landed) !== cachingKey(cachingOf(route))) {
      throw new Error(
        `Edge behaviours: ${route.id} (${path}) would land on ${hit?.pattern ?? 'the default behaviour'} (${cachingKey(landed)})`,
      );
    }
  }
  return behaviors;
}

interface PathGroup {
  readonly path: string;
  readonly caching: EdgeCaching;
  readonly routeIds: string[];
}

/** Routes that share a path share a behaviour (CloudFront matches paths, not methods), so they must agree on caching. */
function groupByPath(routes: readonly RouteDefinition[]): PathGroup[] {
  const groups = new Map<string, PathGroup>();
  for (const route of routes) {
    const caching = cachingOf(route);
    if (caching.cached && route.method !== 'GET') throw new Error(`Edge behaviours: ${route.id} is edge-cached but not a GET`);
    const group = groups.get(route.path);
    if (!group) {
      groups.set(route.path, { path: route.path, caching, routeIds: [route.id] });
    } else if (cachingKey(group.caching) !== cachingKey(caching)) {
      throw new Error(`Edge behaviours: routes on ${route.path} disagree on edge caching (${group.routeIds.join(', ')}, ${route.id})`);
    } else {
      group.routeIds.push(route.id);
    }
  }
  return [...groups.values()];
}

/** API Gateway's precedence, roughly: a literal segment beats a parameter, left to right; then the longer path; then by name. */
function compareSpecificity(a: string, b: string): number {
  const sa = a.split('/').filter(Boolean);
  const sb = b.split('/').filter(Boolean);
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const la = sa[i]?.startsWith('{') ? 0 : 1;
    const lb = sb[i]?.startsWith('{') ? 0 : 1;
    if (la !== lb) return lb - la;
  }
  return sb.length - sa.length || a.localeCompare(b);
}

/**
 * Drops a behaviour that a later one with the same caching fully covers, when no behaviour in
 * between (with other caching) could catch any of its paths: it changes nothing but costs quota.
 */
function prune(behaviors: PlannedBehavior[]): PlannedBehavior[] {
  const result = [...behaviors];
  for (let i = 0; i < result.length; i++) {
    const candidate = result[i] as PlannedBehavior;
    const key = cachingKey(candidate.caching);
    for (let j = i + 1; j < result.length; j++) {
      const later = result[j] as PlannedBehavior;
      if (cachingKey(later.caching) !== key) {
        if (patternsMeet(later.pattern, candidate.pattern)) break;
        continue;
      }
      if (patternCovers(later.pattern, candidate.pattern)) {
        result[j] = { ...later, routeIds: [...candidate.routeIds, ...later.routeIds] };
        result.splice(i, 1);
        i--;
        break;
      }
    }
  }
  return result;
}

/**
 * Values a path parameter never takes, by parameter name: a slug is never a reserved word
 * (shared/domain/slug.ts), so `/api/sync/ota/apps/...` is never an update check of an app "apps".
 */
export type ReservedSegments = Readonly<Record<string, ReadonlySet<string>>>;
const RESERVED_SEGMENTS: ReservedSegments = { slug: RESERVED_SLUGS };

/**
 * Replaces not-cached behaviours that share a literal prefix (up to the `/` before their first
 * wildcard) by one `<prefix>*` behaviour, when no path of any cached route starts with that prefix
 * (parameters taking only values they can take). What the wide behaviour catches beyond its members
 * is not cached either way, so nothing changes but the quota it costs: the five management shadows
 * under `/api/sync/ota/apps/` become one.
 */
function collapseUncached(behaviors: PlannedBehavior[], cachedTemplates: readonly string[], reserved: ReservedSegments): PlannedBehavior[] {
  const prefixOf = (b: PlannedBehavior): string | undefined => {
    if (b.caching.cached) return undefined;
    const wildcard = b.pattern.search(/[*?]/);
    if (wildcard < 0) return undefined;
    const prefix = b.pattern.slice(0, b.pattern.lastIndexOf('/', wildcard) + 1);
    return prefix.length > 1 && !cachedTemplates.some((t) => templateStartsWith(t, prefix, reserved)) ? prefix : undefined;
  };
  const prefixes = new Map(behaviors.map((b) => [b, prefixOf(b)]));
  const members = new Map<string, PlannedBehavior[]>();
  for (const [b, prefix] of prefixes) {
    if (prefix) members.set(prefix, [...(members.get(prefix) ?? []), b]);
  }
  const result: PlannedBehavior[] = [];
  for (const [b, prefix] of prefixes) {
    const group = prefix ? (members.get(prefix) ?? []) : [];
    if (!prefix || group.length < 2) result.push(b);
    else if (group[0] === b) result.push({ pattern: `${prefix}*`, caching: b.caching, routeIds: group.flatMap((m) => m.routeIds) });
  }
  return result;
}

/** Whether some concrete path of a route template starts with a literal prefix ending in `/`. */
export function templateStartsWith(template: string, prefix: string, reserved: ReservedSegments = RESERVED_SEGMENTS): boolean {
  const wanted = prefix.split('/').slice(0, -1);
  const segments = template.split('/');
  if (segments.length <= wanted.length) return false;
  return wanted.every((literal, i) => {
    const segment = segments[i] as string;
    const whole = /^\{([^}/]+)\}$/.exec(segment);
    if (whole) return !reserved[whole[1] as string]?.has(literal) && literal.length > 0;
    const source = segment
      .split(/(\{[^}/]+\})/)
      .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.+^${}()|[\]\\*?]/g, '\\$&')))
      .join('');
    return new RegExp(`^${source}$`).test(literal);
  });
}

// --- Path languages -------------------------------------------------------------------------
// Patterns and route templates are small regular languages; whether two of them share a path
// is decided exactly by walking both automata together over a finite alphabet: the literal
// characters of both, '/', and one stand-in for every other character.

type Token =
  | { readonly kind: 'char'; readonly char: string }
  /** Any one character (`?`). */
  | { readonly kind: 'one' }
  /** Any run of characters, `/` included (`*`). */
  | { readonly kind: 'any' }
  /** One character other than `/` (first character of a `{param}`). */
  | { readonly kind: 'segmentChar' }
  /** Any run of characters other than `/` (rest of a `{param}`). */
  | { readonly kind: 'segmentRest' };

const OTHER = '\u0000';

function patternTokens(pattern: string): Token[] {
  return [...pattern].map((c): Token => (c === '*' ? { kind: 'any' } : c === '?' ? { kind: 'one' } : { kind: 'char', char: c }));
}

function templateTokens(template: string): Token[] {
  const tokens: Token[] = [];
  for (const part of template.split(/(\{[^}/]+\})/)) {
    if (part.startsWith('{')) tokens.push({ kind: 'segmentChar' }, { kind: 'segmentRest' });
    else for (const c of part) tokens.push({ kind: 'char', char: c });
  }
  return tokens;
}

/** Whether a token accepts a character. */
function accepts(token: Token, c: string): boolean {
  switch (token.kind) {
    case 'char':
      return token.char === c;
    case 'one':
    case 'any':
      return true;
    case 'segmentChar':
    case 'segmentRest':
      return c !== '/';
  }
}

/** States reachable from `state` without reading a character (skipping tokens that may match nothing). */
function closure(tokens: readonly Token[], state: number): number[] {
  const states = [state];
  let i = state;
  while (i < tokens.length && (tokens[i]?.kind === 'any' || tokens[i]?.kind === 'segmentRest')) states.push(++i);
  return states;
}

/** States after reading `c` from `state`. */
function step(tokens: readonly Token[], state: number, c: string): number[] {
  const token = tokens[state];
  if (!token || !accepts(token, c)) return [];
  return token.kind === 'any' || token.kind === 'segmentRest' ? [state] : [state + 1];
}

function languagesMeet(a: readonly Token[], b: readonly Token[]): boolean {
  const alphabet = new Set<string>(['/', OTHER]);
  for (const t of [...a, ...b]) if (t.kind === 'char') alphabet.add(t.char);
  const seen = new Set<string>();
  const queue: [number, number][] = [];
  const visit = (i: number, j: number) => {
    for (const x of closure(a, i))
      for (const y of closure(b, j)) {
        const id = `${x},${y}`;
        if (!seen.has(id)) {
          seen.add(id);
          queue.push([x, y]);
        }
      }
  };
  visit(0, 0);
  while (queue.length > 0) {
    const [i, j] = queue.shift() as [number, number];
    if (i === a.length && j === b.length) return true;
    for (const c of alphabet) for (const x of step(a, i, c)) for (const y of step(b, j, c)) visit(x, y);
  }
  return false;
}

/** Whether some concrete path of a route template matches a pattern. */
export function templateMeetsPattern(template: string, pattern: string): boolean {
  return languagesMeet(templateTokens(template), patternTokens(pattern));
}

/** Whether some path matches both patterns. */
export function patternsMeet(a: string, b: string): boolean {
  return languagesMeet(patternTokens(a), patternTokens(b));
}

/**
 * Whether every path `inner` matches also matches `outer` (sound, may miss exotic cases: then a
 * redundant behaviour is kept, which is harmless). `outer`'s `*` may absorb anything of `inner`;
 * `inner`'s `*` can only be absorbed by a `*`.
 */
export function patternCovers(outer: string, inner: string): boolean {
  const o = patternTokens(outer);
  const n = patternTokens(inner);
  const memo = new Map<string, boolean>();
  const covers = (i: number, j: number): boolean => {
    const id = `${i},${j}`;
    const known = memo.get(id);
    if (known !== undefined) return known;
    const token = o[i];
    const next = n[j];
    let result: boolean;
    if (!token) result = j === n.length;
    else if (token.kind === 'any') result = covers(i + 1, j) || (next !== undefined && covers(i, j + 1));
    else if (!next) result = false;
    else if (token.kind === 'one') result = next.kind !== 'any' && covers(i + 1, j + 1);
    else result = next.kind === 'char' && token.kind === 'char' && next.char === token.char && covers(i + 1, j + 1);
    memo.set(id, result);
    return result;
  };
  return covers(0, 0);
}
