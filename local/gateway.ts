import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { NotFound } from '../shared/http/errors.js';
import type { HttpEvent, HttpResult } from '../shared/http/http-types.js';
import { errorResult } from '../shared/http/respond.js';
import { ROUTES, type RouteDefinition, routeSpecificity } from '../shared/routes.js';

type Handler = (event: HttpEvent, context?: unknown) => Promise<HttpResult>;

interface CompiledRoute {
  route: RouteDefinition;
  segments: string[];
  specificity: number[];
}

const compiled: CompiledRoute[] = ROUTES.map((route) => ({
  route,
  segments: route.path.split('/').filter(Boolean),
  specificity: routeSpecificity(route.path),
}));

/**
 * Finds the route for a request as API Gateway HTTP APIs do: same method, same segment count,
 * literal segments preferred over `{params}` from left to right.
 */
export function matchRoute(method: string, rawPath: string): { route: RouteDefinition; params: Record<string, string> } | undefined {
  const parts = rawPath.split('/').filter(Boolean);
  const candidates = compiled
    .filter((c) => c.route.method === method && c.segments.length === parts.length)
    .filter((c) => c.segments.every((s, i) => s.startsWith('{') || s === parts[i]))
    .sort((a, b) => compareSpecificity(b.specificity, a.specificity));
  const best = candidates[0];
  if (!best) return undefined;
  const params: Record<string, string> = {};
  best.segments.forEach((s, i) => {
    if (s.startsWith('{')) params[s.slice(1, -1)] = parts[i] as string;
  });
  return { route: best.route, params };
}

function compareSpecificity(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Turns an HTTP request into the API Gateway v2 event the handlers receive in the cloud. */
function toEvent(request: IncomingMessage, url: URL, body: string, params: Record<string, string>): HttpEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  headers['x-forwarded-proto'] = 'http';
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  return {
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    pathParameters: params,
    ...(url.search ? { queryStringParameters: query } : {}),
    ...(body ? { body } : {}),
    isBase64Encoded: false,
    requestContext: {
      domainName: headers.host ?? '127.0.0.1',
      http: { method: request.method ?? 'GET', path: url.pathname, sourceIp: request.socket.remoteAddress ?? '127.0.0.1' },
      requestId: randomUUID(),
    },
  };
}

/** A local stand-in for API Gateway that serves every route of the route table with the real handlers. */
export function createGateway(loadHandler: (name: string) => Promise<Handler>): Server {
  const handlers = new Map<string, Promise<Handler>>();
  return createServer(async (request, response) => {
    let result: HttpResult;
    try {
      const url = new URL(request.url ?? '/', 'http://gateway.local');
      const match = matchRoute(request.method ?? 'GET', url.pathname);
      const body = await readBody(request);
      if (!match) {
        result = errorResult(new NotFound(`No route for ${request.method} ${url.pathname}`));
      } else {
        let handler = handlers.get(match.route.handler);
        if (!handler) {
          handler = loadHandler(match.route.handler);
          handlers.set(match.route.handler, handler);
        }
        result = await (await handler)(toEvent(request, url, body, match.params), {});
      }
    } catch (error) {
      result = errorResult(error);
    }
    response.writeHead(result.statusCode, result.headers ?? {});
    response.end(result.body ?? '');
  });
}
