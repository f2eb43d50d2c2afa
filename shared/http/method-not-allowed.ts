import type { HttpResult } from './http-types.js';
import { json } from './respond.js';
import { type Face, type RouteDefinition, routeSpecificity } from './route-definition.js';

/** The `$default` route key (it has no path of its own). */
const DEFAULT_ROUTE_PATH = '$default';

/**
 * Whether a concrete path matches a route's path template as API Gateway (HTTP API) matches it:
 * same segment count, literal segments equal, a `{param}` any non-empty segment.
 */
export function templateMatches(template: string, rawPath: string): boolean {
  const want = template.slice(1).split('/');
  const parts = rawPath.slice(1).split('/');
  if (want.length !== parts.length) return false;
  return want.every((s, i) => (s.startsWith('{') && s.endsWith('}') ? parts[i] !== '' : s === parts[i]));
}

/** What a known path takes: the methods of every route whose template matches it, and the face of the most specific. */
export interface PathMethods {
  readonly allow: readonly string[];
  readonly face: Face;
}

/**
 * The methods a path is routed for (so a request with any other method is a 405, not a 404), or
 * undefined when no route has this path (a plain 404). A method is allowed exactly when the gateway
 * would route it: some route of that method matches the path.
 */
export function methodsOfPath(routes: readonly RouteDefinition[], rawPath: string): PathMethods | undefined {
  const matching = routes.filter((r) => r.path !== DEFAULT_ROUTE_PATH && templateMatches(r.path, rawPath));
  if (matching.length === 0) return undefined;
  const best = [...matching].sort((a, b) => compare(routeSpecificity(b.path), routeSpecificity(a.path)))[0] as RouteDefinition;
  const allow = [...new Set(matching.map((r) => r.method))].sort();
  return { allow, face: best.face ?? 'service' };
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** A 405 with `Allow`, in the face's error shape (`{"error":{"code","message"}}`, or faynoSync's and Koolbase's `{"error":"…"}`). */
export function methodNotAllowed(method: string, known: PathMethods): HttpResult {
  const allow = known.allow.join(', ');
  const message = `Method ${method.slice(0, 16)} is not allowed here; allowed: ${allow}`;
  const body = known.face === 'service' ? { error: { code: 'method_not_allowed', message } } : { error: message };
  return json(405, body, undefined, { allow });
}
