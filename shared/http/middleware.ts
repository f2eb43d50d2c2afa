import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { type Authorized, authorize, authorizeOne, type ResourceReader } from '../auth/authorize.js';
import type { Caller } from '../auth/principal.js';
import { AccessTokenVerifier } from '../auth/token-verifier.js';
import type { CatalogEntry, CatalogKind } from '../domain/catalog.js';
import { isCatalogId } from '../domain/catalog.js';
import { Invalid, shown } from '../domain/errors.js';
import { isId } from '../domain/ids.js';
import type { App } from '../domain/model.js';
import { type RouteDefinition, routeById } from '../routes.js';
import type { HttpEvent, HttpResult } from './http-types.js';
import { assertThroughEdge } from './lean-route.js';
import { logger } from './logger.js';
import { header, jsonBody, queryParam } from './request.js';
import { errorResult } from './respond.js';

/** What a route handler receives: the request and, for callers, who they are and what they may act on. */
export interface RouteRequest extends Partial<Authorized> {
  event: HttpEvent;
  /** The JSON body, validated against the route's `request.body` schema (absent when the route declares none). */
  body?: unknown;
  /** The query parameters, validated against the route's `request.query` schema. */
  query?: unknown;
  /**
   * Authorizes the route's action on a resource named in the query or body (faynoSync's `?id=`,
   * `data.id`) through the same decision as a path parameter: another owner's id is a 404.
   * Present on caller routes.
   */
  authorizeById?: (type: 'app' | CatalogKind, id: string, what?: string) => Promise<Authorized>;
}

type RouteFn = (request: RouteRequest) => Promise<HttpResult>;

let verifier: AccessTokenVerifier | undefined;

/**
 * Wraps a route of the route table: logs with the request id, refuses calls that bypass the
 * edge, authenticates and authorizes as the route's `access` declares (the one decision point),
 * and maps every error to the one JSON error shape.
 */
export function apiRoute(routeId: string, reader: () => ResourceReader, fn: RouteFn) {
  const route: RouteDefinition = routeById(routeId);
  return middy<HttpEvent, HttpResult, Error, Context>()
    .before(({ context, event }) => {
      // Keys of the previous request in this container must not stick to this one.
      logger.resetKeys();
      if (context?.awsRequestId) logger.addContext(context);
      logger.appendKeys({ route: route.id, requestId: event.requestContext.requestId });
    })
    .onError((request) => {
      request.response = errorResult(request.error, (error) => logger.error('unhandled error', error as Error), route.face);
    })
    .handler(async (event) => {
      assertThroughEdge(event);
      const input = () => ({
        ...(route.request?.query ? { query: validQuery(event, route.request.query) } : {}),
        ...(route.request?.body ? { body: jsonBody(event, route.request.body) } : {}),
      });
      // Public routes answer an impossible id as what it is to a client: nothing there (404).
      if (route.access.kind === 'public') return fn({ event, ...input() });
      verifier ??= AccessTokenVerifier.fromEnv();
      const caller = await verifier.callerFrom(header(event, 'authorization'));
      assertIdShapes(event);
      const access = route.access;
      const authorized = await authorize(caller, access, event.pathParameters ?? {}, reader());
      const authorizeById = (type: 'app' | CatalogKind, id: string, what = 'id') => authorizeOne(caller, access, type, id, what, reader());
      logger.appendKeys({ caller: caller.userId });
      // Query and body are read after authentication: an anonymous caller learns nothing about the schemas.
      return fn({ event, ...input(), ...authorized, authorizeById });
    });
}

/** The declared query parameters, percent-decoded, validated against the route's schema (400 on failure). */
function validQuery(event: HttpEvent, schema: z.ZodMiniType): unknown {
  const values: Record<string, string> = {};
  for (const name of Object.keys(event.queryStringParameters ?? {})) {
    const value = queryParam(event, name);
    if (value !== undefined) values[name] = value;
  }
  const result = schema.safeParse(values);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Invalid(`${issue?.path.join('.') ?? 'query'}: ${issue?.message ?? 'invalid query'}`);
  }
  return result.data;
}

/** The authenticated caller of a caller route (the route table guarantees one). */
export function callerOf(request: RouteRequest): Caller {
  if (!request.caller) throw new Error('route has no caller: check its access in the route table');
  return request.caller;
}

/** The authorized app of a route that acts on one. */
export function appOf(request: RouteRequest): App {
  if (!request.app) throw new Error('route has no app: check its access in the route table');
  return request.app;
}

/** The authorized catalog entry of a route that acts on one. */
export function entryOf(request: RouteRequest): CatalogEntry {
  if (!request.entry) throw new Error('route has no catalog entry: check its access in the route table');
  return request.entry;
}

/**
 * Every `*_id` path parameter must have the shape of an id this service mints (catalog ids may also
 * be a built-in name), checked before any storage call: a 3 KB id is a 400, not a DynamoDB error.
 */
function assertIdShapes(event: HttpEvent): void {
  for (const [name, raw] of Object.entries(event.pathParameters ?? {})) {
    if (!name.endsWith('_id') || raw === undefined) continue;
    const catalog = name === 'channel_id' || name === 'platform_id' || name === 'arch_id';
    if (!(catalog ? isCatalogId(raw) : isId(raw))) throw new Invalid(`${name} ${shown(raw)} is not a valid id`);
  }
}
