import middy from '@middy/core';
import type * as z from 'zod/mini';
import { authenticate } from '../auth/authenticate.js';
import { type Authorized, authorize, authorizeOne } from '../auth/authorize.js';
import { auditRetentionDays, auditTrail, credentialsFromEnv } from '../auth/credentials.js';
import type { ResourceReader } from '../domain/access.js';
import type { Caller } from '../domain/caller.js';
import type { CatalogEntry, CatalogKind } from '../domain/catalog.js';
import { isCatalogId } from '../domain/catalog.js';
import { isPinHash } from '../domain/device-pin.js';
import type { PresentedToken } from '../domain/download-token.js';
import { DomainError, Invalid, shown } from '../domain/errors.js';
import { isId } from '../domain/ids.js';
import type { App } from '../domain/model.js';
import { isUserId } from '../domain/permissions.js';
import { unitOfWork } from '../services/feed-changes.js';
import { DOWNLOAD_TOKEN_BEARER, presentedDownloadToken } from './download-token.js';
import type { HttpEvent, HttpResult } from './http-types.js';
import { assertThroughEdge } from './lean-route.js';
import { logger } from './logger.js';
import { header, jsonBody, queryParam } from './request.js';
import { errorResult } from './respond.js';
import { changes, type RouteDefinition } from './route-definition.js';

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
  /**
   * On a route whose access admits a download token (`orDownloadToken`): the token the request
   * carried instead of a caller credential. Not checked yet: the service admits it through the
   * private-app door once it knows the file's app and channel.
   */
  downloadToken?: PresentedToken;
}

type RouteFn = (request: RouteRequest) => Promise<HttpResult>;

/**
 * A route's request schemas, given again to the function that builds its handler (the very
 * objects of the route table's `request`, checked at load) so the handler's request is typed by them.
 */
export interface RouteSchemas {
  readonly body?: z.ZodMiniType;
  readonly query?: z.ZodMiniType;
}

/** The request a handler of a route with these schemas receives: body and query validated, defaults applied, typed. */
export type TypedRouteRequest<S extends RouteSchemas> = RouteRequest &
  (S extends { readonly body: infer B extends z.ZodMiniType } ? { body: z.output<B> } : unknown) &
  (S extends { readonly query: infer Q extends z.ZodMiniType } ? { query: z.output<Q> } : unknown);

type RouteHandler = ReturnType<typeof middy<HttpEvent, HttpResult, Error>>;

/**
 * Wraps a route of the route table (the lambda passes its entry, `routeById('CreateApp')`): logs with the request id, refuses calls that bypass the
 * edge, authenticates and authorizes as the route's `access` declares (the one decision point),
 * and maps every error to the one JSON error shape. A route that declares request schemas passes
 * them (`{ body: createAppBody }`): the handler then reads a typed body, no cast.
 */
export function apiRoute(route: RouteDefinition, reader: () => ResourceReader, fn: RouteFn): RouteHandler;
export function apiRoute<S extends RouteSchemas>(
  route: RouteDefinition,
  reader: () => ResourceReader,
  schemas: S,
  fn: (request: TypedRouteRequest<S>) => Promise<HttpResult>,
): RouteHandler;
export function apiRoute(
  route: RouteDefinition,
  reader: () => ResourceReader,
  schemasOrFn: RouteSchemas | RouteFn,
  typedFn?: (request: never) => Promise<HttpResult>,
): RouteHandler {
  const schemas = typeof schemasOrFn === 'function' ? {} : schemasOrFn;
  // The handler's types come from these schemas, its input from the table's: they must be the same objects.
  if (schemas.body !== route.request?.body || schemas.query !== route.request?.query) {
    throw new Error(
      `apiRoute ${route.id}: pass the route table's request schemas (${Object.keys(route.request ?? {}).join(', ') || 'none'})`,
    );
  }
  const fn = (typeof schemasOrFn === 'function' ? schemasOrFn : typedFn) as RouteFn;
  /** Any error as the route's face answers it; an unexpected one is logged with its detail. */
  const answer = (error: unknown) => errorResult(error, (e) => logger.error('unhandled error', e as Error), route.face);
  return (
    middy<HttpEvent, HttpResult, Error>() // the Lambda context type is middy's default
      .before(({ context, event }) => {
        // Keys of the previous request in this container must not stick to this one.
        logger.resetKeys();
        if (context?.awsRequestId) logger.addContext(context);
        logger.appendKeys({ route: route.id, requestId: event.requestContext.requestId });
      })
      .onError((request) => {
        request.response = answer(request.error);
      })
      // One unit of work per request: the feeds of every app it changed are rebuilt once, at its end.
      .handler((event) => unitOfWork(() => serveRoute(event)))
  );
  async function serveRoute(event: HttpEvent): Promise<HttpResult> {
    await assertThroughEdge(event);
    const input = () => ({
      ...(route.request?.query ? { query: validQuery(event, route.request.query) } : {}),
      ...(route.request?.body ? { body: jsonBody(event, route.request.body) } : {}),
    });
    // Public routes answer an impossible id as what it is to a client: nothing there (404).
    if (route.access.kind === 'public') return fn({ event, ...input() });
    const downloadToken = route.access.kind === 'caller' && route.access.orDownloadToken ? insteadOfCaller(event) : undefined;
    if (downloadToken) return fn({ event, ...input(), downloadToken });
    const caller = await authenticate(header(event, 'authorization'), credentialsFromEnv());
    logger.appendKeys({ caller: caller.userId });
    const access = route.access;
    const serve = async (): Promise<HttpResult> => {
      assertIdShapes(event);
      const authorized = await authorize(caller, access, event.pathParameters ?? {}, reader());
      const authorizeById =
        access.kind === 'caller'
          ? (type: 'app' | CatalogKind, id: string, what = 'id') => authorizeOne(caller, access, type, id, what, reader())
          : undefined;
      // Query and body are read after authorization: a caller who may not call the route learns nothing about its schemas.
      return fn({ event, ...input(), ...authorized, ...(authorizeById ? { authorizeById } : {}) });
    };
    if (!changes(route)) return serve();
    // A change is recorded with its result, refused and failed ones included.
    let result: HttpResult;
    let failure: unknown;
    try {
      result = await serve();
    } catch (error) {
      failure = error;
      result = answer(error);
    }
    await recordChange(route, event, caller, result.statusCode, failure);
    return result;
  }
}

/** Appends one event to the account's audit trail; a failure to record is logged, never turned into a failed change. */
async function recordChange(route: RouteDefinition, event: HttpEvent, caller: Caller, status: number, failure: unknown): Promise<void> {
  const target = queryParam(event, 'id') ?? queryParam(event, 'app_id');
  try {
    await auditTrail().record(
      caller.ownerId,
      {
        at: new Date().toISOString(),
        actorKind: caller.kind,
        actorId: caller.userId,
        actorName: caller.username,
        action: route.id,
        method: route.method,
        path: event.rawPath.slice(0, 512),
        ...(target ? { target: target.slice(0, 128) } : {}),
        status,
        ...(failure ? { error: failure instanceof DomainError ? failure.message.slice(0, 300) : 'internal error' } : {}),
      },
      auditRetentionDays(),
    );
  } catch (error) {
    logger.error('audit record failed', error as Error);
  }
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

/**
 * The download token of a request that carries no caller credential: no Authorization header, or
 * one that is itself the download token (`Bearer dl_…`). A caller credential always decides.
 */
function insteadOfCaller(event: HttpEvent): PresentedToken | undefined {
  const authorization = header(event, 'authorization')?.trim();
  if (authorization && !DOWNLOAD_TOKEN_BEARER.test(authorization)) return undefined;
  return presentedDownloadToken(event);
}

/** The resource reader of a public route that names no resource (it is never asked). */
export const noResources = (): ResourceReader => {
  throw new Error('public routes read no resources');
};

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
    // A Koolbase bundle of any shape that is not there is Koolbase's 404 `bundle not found` (the service decides).
    if (!name.endsWith('_id') || name === 'bundle_id' || raw === undefined) continue;
    const catalog = name === 'channel_id' || name === 'platform_id' || name === 'arch_id';
    const valid = name === 'user_id' ? isUserId(raw) : name === 'pin_id' ? isPinHash(raw) : catalog ? isCatalogId(raw) : isId(raw);
    if (!valid) throw new Invalid(`${name} ${shown(raw)} is not a valid id`);
  }
}
