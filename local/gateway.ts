import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { formatEdgeLogLine } from '../shared/domain/edge-log.js';
import { API_PAYLOAD_LIMIT_BYTES, API_STAGE_THROTTLE, LAMBDA_PAYLOAD_LIMIT_BYTES } from '../shared/http/api-gateway-limits.js';
import { bodyLimitAnswer } from '../shared/http/body-limit.js';
import type { HttpEvent, HttpResult } from '../shared/http/http-types.js';
import type { BodyLimit, Face, RouteDefinition } from '../shared/http/route-definition.js';
import { ROUTES, routeSpecificity } from '../shared/routes.js';
import { type ThrottleLimits, TokenBucket } from './api-gateway-limits.js';
import type { EdgeRequest, EdgeResponse, EdgeValue } from './edge-runtime.js';

type Handler = (event: HttpEvent, context?: unknown) => Promise<HttpResult>;

/** All the gateway reads from a route; the route table's other fields are not its business. */
export interface GatewayRoute {
  readonly method: string;
  readonly path: string;
  readonly handler: string;
  /** Answered at the edge in the cloud (a CloudFront function): the local gateway stands in for it. */
  readonly bodyLimit?: BodyLimit;
  readonly face?: Face;
  /** Whether CloudFront caches the route (and runs the edge function on it). */
  readonly edgeCache?: RouteDefinition['edgeCache'];
}

export interface RouteMatch<R extends GatewayRoute> {
  route: R;
  params: Record<string, string>;
}

/** The HTTP API route key that catches every request no other route matches. */
const DEFAULT_ROUTE_PATH = '$default';

/**
 * Compiles a route table's explicit routes into API Gateway HTTP API matching: same method, same
 * segment count, literal segments preferred over `{params}` from left to right, and a parameter
 * never matches an empty segment. The `$default` route is not among them (see `defaultRouteOf`).
 */
export function createRouter<R extends GatewayRoute>(routes: readonly R[]): (method: string, rawPath: string) => RouteMatch<R> | undefined {
  const compiled = routes
    .filter((r) => r.path !== DEFAULT_ROUTE_PATH)
    .map((route) => {
      // Refuse what this stand-in does not implement rather than dispatch it differently from the cloud.
      if (route.method === 'ANY' || /\{[^}]*\+\}/.test(route.path)) {
        throw new Error(`The local gateway does not implement ANY routes or greedy path variables: ${route.method} ${route.path}`);
      }
      return { route, segments: segmentsOf(route.path), specificity: routeSpecificity(route.path) };
    });
  return (method, rawPath) => {
    const parts = segmentsOf(rawPath);
    const best = compiled
      .filter((c) => c.route.method === method && c.segments.length === parts.length)
      .filter((c) => c.segments.every((s, i) => (isParam(s) ? parts[i] !== '' : s === parts[i])))
      .sort((a, b) => compareSpecificity(b.specificity, a.specificity))[0];
    if (!best) return undefined;
    const params: Record<string, string> = {};
    best.segments.forEach((s, i) => {
      if (isParam(s)) params[s.slice(1, -1)] = parts[i] as string;
    });
    return { route: best.route, params };
  };
}

/** The table's `$default` route, which takes every request (any method) no explicit route matches. */
export function defaultRouteOf<R extends GatewayRoute>(routes: readonly R[]): R | undefined {
  return routes.find((r) => r.path === DEFAULT_ROUTE_PATH);
}

/** The explicit route a request matches, by the route table (undefined: `$default` or API Gateway's 404). */
export const matchRoute: (method: string, rawPath: string) => RouteMatch<RouteDefinition> | undefined = createRouter(ROUTES);

/** `/a/b` → `['a', 'b']`; empty segments (`//`, a trailing `/`) are kept, so they match no route. */
function segmentsOf(path: string): string[] {
  return path.slice(1).split('/');
}

function isParam(segment: string): boolean {
  return segment.startsWith('{') && segment.endsWith('}');
}

function compareSpecificity(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Splits a request target into path and query: origin-form (`/p?q`) as sent, absolute-form
 * (`http://host/p?q`, which HTTP/1.1 servers must accept) by its path. Undefined when it is neither.
 */
export function parseRequestTarget(target: string): { rawPath: string; rawQueryString: string } | undefined {
  let pathAndQuery = target;
  if (!target.startsWith('/')) {
    if (!URL.canParse(target)) return undefined;
    const url = new URL(target);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    pathAndQuery = url.pathname + url.search;
  }
  const query = pathAndQuery.indexOf('?');
  return query < 0
    ? { rawPath: pathAndQuery, rawQueryString: '' }
    : { rawPath: pathAndQuery.slice(0, query), rawQueryString: pathAndQuery.slice(query + 1) };
}

/**
 * API Gateway's own answers, so a local test cannot pass where the cloud refuses: the bodies are
 * API Gateway's `{"message": …}`, not our `{"error": …}` shape. The 404 and 500 bodies are
 * documented for HTTP APIs; for 429 and 413 only the status is, and the bodies follow the same shape.
 */
export const GATEWAY_ANSWERS = {
  /** No route matches and there is no `$default` route. */
  notFound: gatewayAnswer(404, 'Not Found'),
  /** The stage throttle refused the request. */
  tooManyRequests: gatewayAnswer(429, 'Too Many Requests'),
  /** The request body is over the payload quota. */
  requestTooLarge: gatewayAnswer(413, 'Request Entity Too Large'),
  /** The event (body base64-encoded when binary) is over Lambda's 6 MB invocation payload. */
  functionPayloadTooLarge: gatewayAnswer(413, 'Request Too Long'),
  /** The function failed: it threw, or returned something that cannot be sent. */
  internalServerError: gatewayAnswer(500, 'Internal Server Error'),
} as const;

function gatewayAnswer(statusCode: number, message: string): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) };
}

const TOO_LARGE = Symbol('too large');

/**
 * Reads the body as it streams in and stops at `limit` bytes, so an oversized upload costs no
 * memory. Undefined when the client went away before the end.
 */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | typeof TOO_LARGE | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: Buffer | typeof TOO_LARGE | undefined) => {
      request.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(TOO_LARGE);
      else chunks.push(chunk);
    };
    const onEnd = () => finish(Buffer.concat(chunks));
    const onClose = () => finish(undefined);
    request.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onClose);
  });
}

/**
 * Whether API Gateway (payload v2) passes a body as text; anything else (multipart uploads, octet
 * streams, any content-encoding) arrives base64-encoded with `isBase64Encoded: true`.
 */
export function isTextBody(contentType: string | undefined, contentEncoding: string | undefined): boolean {
  if (contentEncoding) return false;
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type === '' ||
    type.startsWith('text/') ||
    /^application\/(json|xml|javascript|x-www-form-urlencoded)$/.test(type) ||
    /\+(json|xml)$/.test(type)
  );
}

/** Turns an HTTP request into the API Gateway v2 event the handlers receive in the cloud. */
function toEvent(
  request: IncomingMessage,
  target: { rawPath: string; rawQueryString: string },
  raw: Buffer,
  params: Record<string, string>,
): HttpEvent {
  const text = isTextBody(request.headers['content-type'], request.headers['content-encoding']);
  const body = text ? raw.toString('utf8') : raw.toString('base64');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  headers['x-forwarded-proto'] = 'http';
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(target.rawQueryString)) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  return {
    rawPath: target.rawPath,
    rawQueryString: target.rawQueryString,
    headers,
    pathParameters: params,
    ...(target.rawQueryString ? { queryStringParameters: query } : {}),
    ...(body ? { body } : {}),
    isBase64Encoded: !text && raw.byteLength > 0,
    requestContext: {
      domainName: headers.host ?? '127.0.0.1',
      http: { method: request.method ?? 'GET', path: target.rawPath, sourceIp: request.socket.remoteAddress ?? '127.0.0.1' },
      requestId: randomUUID(),
    },
  };
}

export interface GatewayOptions {
  /** The stage throttle; tests pass small limits to see the 429. */
  throttle?: ThrottleLimits;
  /** The route table to serve; the real one unless a test brings its own. */
  routes?: readonly GatewayRoute[];
  /** The edge's viewer-request function for edge-cached GETs (local/edge-outbox.ts), as CloudFront runs it before API Gateway. */
  edge?: (request: EdgeRequest) => Promise<EdgeRequest | EdgeResponse>;
  /**
   * Receives one CloudFront real-time log line (shared/domain/edge-log.ts) per answered request of
   * an edge-cached route, as the distribution's log configuration writes them: the viewer's
   * request before the edge function changed it, and the status the viewer got.
   */
  edgeLog?: (line: string) => void;
  /** The web console's static files (local/console-files.ts), served before the API as CloudFront's `/console/*` behaviour is. */
  console?: (method: string, path: string) => HttpResult | undefined;
}

/**
 * A local stand-in for API Gateway (HTTP API): serves the route table with the real handlers and
 * gives API Gateway's own answers for throttling, oversized bodies, unknown routes and failed functions.
 */
export function createGateway(loadHandler: (name: string) => Promise<Handler>, options: GatewayOptions = {}): Server {
  const handlers = new Map<string, Promise<Handler>>();
  const routes = options.routes ?? ROUTES;
  const route = createRouter(routes);
  const fallback = defaultRouteOf(routes);
  const bucket = new TokenBucket(options.throttle ?? API_STAGE_THROTTLE);

  const dispatch = async (request: IncomingMessage): Promise<HttpResult | undefined> => {
    if (!bucket.take()) return GATEWAY_ANSWERS.tooManyRequests;
    // A target that is neither a path nor an http(s) URL (`*`, garbage) can match no route.
    const target = parseRequestTarget(request.url ?? '/');
    const match = target && (route(request.method ?? 'GET', target.rawPath) ?? (fallback && { route: fallback, params: {} }));
    // What the edge function answers in the cloud for a route's declared body limit (CloudFront comes before API Gateway).
    const limited = match ? bodyLimitAnswer(match.route, request.headers['content-length']) : undefined;
    if (limited) return limited;
    // A declared length over the quota is refused before a byte of the body is read.
    if (Number(request.headers['content-length'] ?? 0) > API_PAYLOAD_LIMIT_BYTES) return GATEWAY_ANSWERS.requestTooLarge;
    if (!target || !match) return GATEWAY_ANSWERS.notFound;
    const body = await readBody(request, API_PAYLOAD_LIMIT_BYTES);
    if (body === undefined) return undefined;
    if (body === TOO_LARGE) return GATEWAY_ANSWERS.requestTooLarge;
    const event = toEvent(request, target, body, match.params);
    const viewer = isEdgeCached(match.route) ? { ...event, headers: { ...event.headers } } : undefined;
    const result = await run(match.route, event);
    if (viewer && options.edgeLog) options.edgeLog(edgeLogLine(viewer, result));
    return result;
  };

  const run = async (matched: GatewayRoute, event: HttpEvent): Promise<HttpResult> => {
    if (
      options.edge &&
      isEdgeCached(matched) &&
      (event.requestContext.http.method === 'GET' || event.requestContext.http.method === 'HEAD')
    ) {
      const passed = await options.edge(toEdgeRequest(event));
      if (!('uri' in passed)) return fromEdgeResponse(passed);
      applyEdgeRequest(event, passed);
    }
    if (Buffer.byteLength(JSON.stringify(event)) > LAMBDA_PAYLOAD_LIMIT_BYTES) return GATEWAY_ANSWERS.functionPayloadTooLarge;
    let handler = handlers.get(matched.handler);
    if (!handler) {
      handler = loadHandler(matched.handler);
      handlers.set(matched.handler, handler);
    }
    return (await handler)(event, {});
  };

  return createServer(async (request, response) => {
    let result: HttpResult | undefined;
    try {
      const target = options.console && parseRequestTarget(request.url ?? '/');
      result = (target && options.console?.(request.method ?? 'GET', target.rawPath)) || (await dispatch(request));
    } catch (error) {
      logFailure(error);
      result = GATEWAY_ANSWERS.internalServerError;
    }
    if (result) send(response, result);
    // Whatever of the body was left unread is discarded, so the client can read the answer.
    request.resume();
  });
}

function send(response: ServerResponse, result: HttpResult): void {
  try {
    response.writeHead(result.statusCode, result.headers ?? {});
  } catch (error) {
    // A status or header Node refuses to send is a malformed function response: API Gateway answers 500.
    logFailure(error);
    for (const name of response.getHeaderNames()) response.removeHeader(name);
    const fallback = GATEWAY_ANSWERS.internalServerError;
    response.writeHead(fallback.statusCode, fallback.headers);
    response.end(fallback.body);
    return;
  }
  response.end(result.body ?? '');
}

function logFailure(error: unknown): void {
  console.error(
    JSON.stringify({ level: 'error', message: 'local gateway: function failed', error: String(error), stack: (error as Error)?.stack }),
  );
}

/** The log line CloudFront writes for a viewer request and its answer (no cache here: every answer is a miss). */
function edgeLogLine(viewer: HttpEvent, result: HttpResult): string {
  const { 'x-forwarded-proto': _proto, ...headers } = viewer.headers ?? {};
  return formatEdgeLogLine({
    timeMs: Date.now(),
    status: result.statusCode,
    method: viewer.requestContext.http.method,
    path: viewer.rawPath,
    requestId: viewer.requestContext.requestId ?? '',
    query: viewer.rawQueryString ?? '',
    resultType: 'Miss',
    headers: Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined)),
  });
}

function isEdgeCached(route: GatewayRoute): boolean {
  return route.edgeCache !== undefined && route.edgeCache !== false;
}

/** An API Gateway event as CloudFront's function sees the viewer request (headers and query as `{ value }`). */
function toEdgeRequest(event: HttpEvent): EdgeRequest {
  const querystring: Record<string, EdgeValue> = {};
  for (const [name, value] of new URLSearchParams(event.rawQueryString ?? '')) {
    const entry = querystring[name];
    if (entry) entry.multiValue = [...(entry.multiValue ?? [{ value: entry.value }]), { value }];
    else querystring[name] = { value };
  }
  const headers: Record<string, EdgeValue> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers[name] = { value };
  return { uri: event.rawPath, method: event.requestContext.http.method, headers, querystring };
}

/** The function's changes (headers set or dropped, query parameters dropped) applied to the event the handler gets. */
function applyEdgeRequest(event: HttpEvent, request: EdgeRequest): void {
  const headers: Record<string, string> = {};
  for (const [name, entry] of Object.entries(request.headers)) if (entry) headers[name] = entry.value;
  event.headers = headers;
  const pairs: [string, string][] = [];
  for (const [name, entry] of Object.entries(request.querystring ?? {})) {
    if (!entry) continue;
    for (const { value } of entry.multiValue ?? [entry]) pairs.push([name, value]);
  }
  event.rawQueryString = new URLSearchParams(pairs).toString();
  const query: Record<string, string> = {};
  for (const [k, v] of pairs) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  if (pairs.length > 0) event.queryStringParameters = query;
  else delete event.queryStringParameters;
}

function fromEdgeResponse(response: EdgeResponse): HttpResult {
  const headers: Record<string, string> = {};
  for (const [name, entry] of Object.entries(response.headers)) if (entry) headers[name] = entry.value;
  return { statusCode: response.statusCode, headers, body: response.body?.data ?? '' };
}
