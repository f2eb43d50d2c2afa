import type { Access, Action, ResourceReader, ResourceType } from '../domain/access.js';
import type { Caller, TokenScope } from '../domain/caller.js';
import type { CatalogEntry, CatalogKind } from '../domain/catalog.js';
import { isCatalogId } from '../domain/catalog.js';
import { Forbidden, Invalid, NotFound, shown } from '../domain/errors.js';
import { isId } from '../domain/ids.js';
import type { App } from '../domain/model.js';
import { flagAllows, inAllowed } from '../domain/permissions.js';

/** What a route may act on once authorized. */
export interface Authorized {
  caller: Caller;
  /** The app named by the route's path, when the route acts on one. */
  app?: App;
  /** The catalog entry named by the route's path, when the route acts on one. */
  entry?: CatalogEntry;
}

type CallerAccess = Extract<Access, { kind: 'caller' }>;
type SignedInAccess = Exclude<Access, { kind: 'public' }>;

/**
 * The one authorization decision: may this caller do the route's action on the route's resource?
 * - A resource named in the path first: another account's resources answer exactly as resources
 *   that do not exist (404, whoever asks), so ids leak nothing.
 * - Then the route: owner-only routes refuse team users and API tokens (403); a team user needs the
 *   permission flag of the route's resource type and action; an API token needs the action in its
 *   scope. Routes without a path resource weigh this first (faynoSync refuses before reading the body).
 * - Then the resource: a team user needs it in its `allowed` list and an API token the app in its
 *   scope (403: the resource is the caller's account's, the caller may not touch it).
 * An id of an impossible shape is a 400 before any storage is touched.
 */
export async function authorize(
  caller: Caller,
  access: SignedInAccess,
  pathParams: Record<string, string | undefined>,
  reader: ResourceReader,
): Promise<Authorized> {
  if (access.kind !== 'caller' || access.resource.type === 'account') {
    permitRoute(caller, access);
    return { caller };
  }
  // A resource in the path is resolved first: another account's is a 404 for every caller, before
  // any permission is weighed (authorizeOne weighs them once the resource is the caller's account's).
  const { type, param } = access.resource;
  return authorizeOne(caller, access, type, pathParams[param] ?? '', param, reader);
}

/** The route-level part of the decision, before any resource is read (faynoSync's permission middleware). */
export function permitRoute(caller: Caller, access: SignedInAccess): void {
  if (access.kind === 'signed-in' || caller.kind === 'owner') return;
  if (access.kind === 'owner') throw new Forbidden(caller.kind === 'token' ? 'Admin JWT is required' : 'Admin access required');
  if (caller.kind === 'team') {
    const allowed = access.resourceType === 'token' ? caller.tokens : flagAllows(caller.permissions, access.resourceType, access.action);
    if (!allowed) throw new Forbidden('Permission denied');
    return;
  }
  if (access.resourceType !== 'app' || !tokenMay(caller.scope, access.action)) throw new Forbidden(tokenRestriction(caller.scope));
}

/**
 * The same decision for a resource named in the query or the body rather than the path
 * (faynoSync's `?id=` and `data.id`): a face's handler calls this, through `authorizeById` in the
 * middleware, before touching the resource.
 */
export async function authorizeOne(
  caller: Caller,
  access: CallerAccess,
  type: 'app' | CatalogKind,
  id: string,
  what: string,
  reader: ResourceReader,
): Promise<Authorized> {
  if (type === 'app') {
    if (!isId(id)) throw new Invalid(`${what} ${shown(id)} is not a valid id`);
    const app = await reader.app(id);
    // An app whose delete started is gone for everything but finishing the delete.
    if (!app || app.ownerId !== caller.ownerId || (app.deleting && access.action !== 'delete'))
      throw new NotFound(`App ${shown(id)} not found`, 'app_not_found');
    permitRoute(caller, access);
    permitResource(caller, access, type, id);
    return { caller, app };
  }
  if (!isCatalogId(id)) throw new Invalid(`${what} ${shown(id)} is not a valid id`);
  const entry = await reader.catalogEntry(caller.ownerId, type, id);
  if (!entry) throw new NotFound(`${type[0]?.toUpperCase()}${type.slice(1)} ${shown(id)} not found`, `${type}_not_found`);
  permitRoute(caller, access);
  permitResource(caller, access, type, id);
  return { caller, entry };
}

/**
 * Whether a resource of the caller's account is one the caller may see in a list: all of them for
 * the owner, those in a team user's `allowed` list, the apps of an API token's scope.
 */
export function visible(caller: Caller, type: Exclude<ResourceType, 'token'>, id: string): boolean {
  switch (caller.kind) {
    case 'owner':
      return true;
    case 'team':
      return inAllowed(caller.permissions, type, id);
    case 'token':
      return type === 'app' && caller.scope.apps.includes(id);
  }
}

const VERBS: Record<Action, string> = {
  read: 'read',
  create: 'create',
  edit: 'update',
  delete: 'delete',
  upload: 'upload to',
  download: 'download from',
};

/** The resource-level part: the team user's `allowed` list, the token's apps. */
function permitResource(caller: Caller, access: CallerAccess, type: 'app' | CatalogKind, id: string): void {
  if (caller.kind === 'team' && type === access.resourceType && !inAllowed(caller.permissions, type, id))
    throw new Forbidden(`you don't have permission to ${VERBS[access.action]} this ${type} as it's not in your allowed ${type}s list`);
  if (caller.kind === 'token' && type === 'app' && !caller.scope.apps.includes(id))
    throw new Forbidden('api token has no access to this app');
}

/** API tokens act on existing apps only: never create one, never touch catalogs, users or tokens. */
function tokenMay(scope: TokenScope, action: Action): boolean {
  return action !== 'create' && scope.actions.includes(action);
}

/** faynoSync's words for a token used beyond its actions. */
function tokenRestriction(scope: TokenScope): string {
  const actions = scope.actions.filter((a) => a !== 'create');
  if (actions.length === 1 && actions[0] === 'upload') return 'API tokens are restricted to app upload';
  return `this API token may only ${actions.map((a) => VERBS[a]).join(', ')} its apps`;
}
