/**
 * What a route table entry is: the shape every face's route list and the table share, and what
 * the middleware, the local gateway and the stack read. The table itself (`shared/routes.ts`)
 * assembles the faces' lists; this module imports no face, so the lists can import it.
 */
import * as z from 'zod/mini';
import type { Access } from '../domain/access.js';

/**
 * The edge cache key of a public route: the path always, plus these query parameters (never
 * device ids or cache busters such as `noCache`). `false`: never cached.
 */
export type EdgeCache =
  | false
  | {
      readonly query: readonly string[];
      /** Put the device's rollout bucket (0-99, derived at the edge from its device id) into the key; never the id itself. */
      readonly deviceBucket?: boolean;
      /**
       * Honour per-device pins: a device whose id's hash the app's edge state lists gets a key of its
       * own and the hash in `x-ota-pin` (every route with `deviceBucket` does too); other devices share.
       */
      readonly devicePin?: boolean;
      /**
       * Put the SHA-256 of the `x-api-key` header (computed at the edge) into the key, so two keys
       * never share an answer; never the key itself. The key still reaches the function, which hashes it again.
       */
      readonly apiKeyHash?: boolean;
      /**
       * The answer may be a private app's: its download token (`X-Download-Token`, `?token=`, or
       * `Authorization: Bearer dl_…`) reaches the function without splitting the cache of public
       * apps' answers (Authorization can only reach it as part of the key), and a private answer is
       * never stored (it is `Cache-Control: private, no-store`).
       */
      readonly downloadToken?: boolean;
    };

/** What a route's function may touch; the stack turns each into the narrowest IAM grant. */
export type Grant =
  /** GetItem on the table (not its indexes). */
  | 'table:get'
  /** Query on the table (not its indexes). */
  | 'table:query'
  /** Query on the owner index. */
  | 'table:index'
  /** Put/Update/Delete/BatchWrite/ConditionCheck (transactions) plus GetItem and Query on the table. */
  | 'table:write'
  /** Presign PUTs into the upload staging prefix. */
  | 'artifacts:presign-put'
  /** List and abort multipart uploads in the staging prefix. */
  | 'artifacts:multipart'
  /** Read staged uploads, write verified artifacts (ingest). */
  | 'artifacts:promote'
  /** Read verified artifacts (presigned downloads: local delivery, and a private app's files in the cloud). */
  | 'artifacts:read'
  /** Set the `private` tag of verified artifacts (which keeps a private app's bytes off the public edge path). */
  | 'artifacts:tag'
  /** HeadBucket on the artifact bucket (s3:ListBucket, which HeadBucket needs): the deep health check. */
  | 'artifacts:head'
  /** Delete artifacts and staged uploads, all versions. */
  | 'artifacts:delete'
  /** Create CloudFront invalidations (left for the Koolbase check: its answers are keyed by SDK key, not by an app's revision). */
  | 'edge:invalidate'
  /** Read and write the edge's KeyValueStore of per-app state (DescribeKeyValueStore, GetKey, UpdateKeys on that store only). */
  | 'edge:state'
  /** Create users in the user pool (AdminCreateUser, AdminSetUserPassword, AdminDeleteUser to undo a half-made one); with the sign-up key when the stack enables sign-up. */
  | 'cognito:create-user'
  /** Manage team users in the user pool: create, set passwords, add to the team group, disable, enable, delete. */
  | 'cognito:manage-users'
  /** Read the caller's team-user or API-token item (GetItem on those keys only) and record a token's last use. Every signed-in route has it. */
  | 'auth:read'
  /** Append to the audit trail (PutItem on audit keys only). Every signed-in route that changes something has it. */
  | 'audit:write'
  /** Record webhook delivery attempts (PutItem on delivery-record keys only). */
  | 'webhooks:record'
  /** Merge telemetry counter rows (GetItem/UpdateItem on their keys only) and read the slug claims and faynoSync views apps are found by. */
  | 'telemetry:count';

/** Nested stack a route is deployed in; keeps every stack far below CloudFormation's 500 resources. */
export type RouteDomain = 'public' | 'apps' | 'releases' | 'catalog' | 'access' | 'faynosync' | 'koolbase';

/**
 * The API a route belongs to, which decides its error shape: the service's own
 * `{"error":{"code","message"}}`, or faynoSync's and Koolbase's `{"error":"<message>"}` so their
 * clients read our errors as they read theirs.
 */
export type Face = 'service' | 'faynosync' | 'koolbase';

/**
 * The largest body a route takes. A request that declares a larger Content-Length is answered 413
 * with `message` (in the route's error shape) before it reaches a function: by the CloudFront
 * function in the cloud, by the local gateway locally. Lambda takes at most 6 MB per invocation,
 * so upload routes that take files in the body name their presigned alternative here.
 */
export interface BodyLimit {
  readonly bytes: number;
  readonly message: string;
}

/**
 * What a success answer carries: a zod schema of its JSON body, a document of another media type
 * (a feed file), a redirect (302 with `Location`) or nothing (204, or an empty 200).
 */
export type AnswerBody =
  | z.ZodMiniType
  | { readonly kind: 'document'; readonly media: string }
  | { readonly kind: 'redirect' }
  | { readonly kind: 'empty' };

/** A feed or other document of this media type. */
export const document = (media: string): AnswerBody => ({ kind: 'document', media });
/** A 302 to the file, with `Location`. */
export const REDIRECT: AnswerBody = { kind: 'redirect' };
/** No body (204 No Content, or an empty 200). */
export const EMPTY: AnswerBody = { kind: 'empty' };

/** Whether an answer body is a JSON schema (not a document, a redirect or nothing). */
export function isJsonAnswer(body: AnswerBody): body is z.ZodMiniType {
  return '_zod' in body;
}

/**
 * The response schemas shared by several routes, by their OpenAPI component name: a schema
 * registered here is emitted once under `components/schemas` and referenced from each answer.
 */
export const RESPONSE_COMPONENTS = z.registry<{ id: string }>();

/** Registers a response schema as the shared component `id` and returns it. */
export function component<T extends z.ZodMiniType>(id: string, schema: T): T {
  RESPONSE_COMPONENTS.add(schema, { id });
  return schema;
}

/** A part of a multipart/form-data request: a text field (JSON text when `json`) or a file, possibly repeated. */
export interface FormPart {
  readonly kind: 'text' | 'json' | 'file';
  readonly many?: boolean;
  readonly required?: boolean;
  readonly description: string;
}

export interface RouteDefinition {
  /** Stable identifier, also the construct id. */
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway path syntax: `{name}` is one segment; `$default` catches what no route matches. */
  readonly path: string;
  /** Base name of the entry point in `lambdas/`. */
  readonly handler: string;
  readonly access: Access;
  readonly edgeCache: EdgeCache;
  readonly grants: readonly Grant[];
  readonly domain: RouteDomain;
  /** The request's schemas: the middleware validates the JSON body and the query before the handler runs. */
  readonly request?: { readonly body?: z.ZodMiniType; readonly query?: z.ZodMiniType };
  /** The parts of a multipart/form-data body, for routes that read one (the handler parses it). */
  readonly multipart?: Readonly<Record<string, FormPart>>;
  /**
   * The success answers by status, as the handler writes them. Errors (4XX, 5XX) need no entry:
   * they are the face's error shape (`face`), whichever status they have; a route that answers an
   * error status with a body of its own declares it (`/health`'s 503).
   */
  readonly responses: Readonly<Record<number, AnswerBody>>;
  /** Error shape (default: the service's own). */
  readonly face?: Face;
  readonly bodyLimit?: BodyLimit;
  readonly summary: string;
}

/** A function run by an event rather than a route. */
export interface EventFunctionDefinition {
  readonly id: string;
  readonly handler: string;
  readonly grants: readonly Grant[];
  readonly summary: string;
}

/** Whether a route changes something (and so is recorded in the audit trail). */
export function changes(route: RouteDefinition): boolean {
  return route.method !== 'GET' && route.access.kind !== 'public';
}

/** Literal segments count for precedence, as in API Gateway: `/apps/{id}` beats `/{slug}/{x}`. */
export function routeSpecificity(path: string): number[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith('{') ? 0 : 1));
}
