import type { CatalogEntry, CatalogKind } from '../domain/catalog.js';
import { isCatalogId } from '../domain/catalog.js';
import { Invalid, NotFound, shown } from '../domain/errors.js';
import { isId } from '../domain/ids.js';
import type { App } from '../domain/model.js';
import type { Access } from '../routes.js';
import type { Caller } from './principal.js';

/** Reads the resources a decision needs (apps and catalog entries by id). */
export interface ResourceReader {
  app(appId: string): Promise<App | undefined>;
  catalogEntry(ownerId: string, kind: CatalogKind, id: string): Promise<CatalogEntry | undefined>;
}

/** What a route may act on once authorized. */
export interface Authorized {
  caller: Caller;
  /** The app named by the route's path, when the route acts on one. */
  app?: App;
  /** The catalog entry named by the route's path, when the route acts on one. */
  entry?: CatalogEntry;
}

/**
 * The one authorization decision: may this caller do the route's action on the route's
 * resource? Resources of another account answer exactly as resources that do not exist (404),
 * so ids leak nothing. An id of an impossible shape is a 400 before any storage is touched.
 * Team permissions (teams issue) are checked here too, from `access.resourceType` and `access.action`.
 */
export async function authorize(
  caller: Caller,
  access: Extract<Access, { kind: 'caller' }>,
  pathParams: Record<string, string | undefined>,
  reader: ResourceReader,
): Promise<Authorized> {
  const resource = access.resource;
  if (resource.type === 'account') return { caller };
  return authorizeOne(caller, access, resource.type, pathParams[resource.param] ?? '', resource.param, reader);
}

/**
 * The same decision for a resource named in the query or the body rather than the path
 * (faynoSync's `?id=` and `data.id`): a face's handler calls this, through `authorizedById` in the
 * middleware, before touching the resource.
 */
export async function authorizeOne(
  caller: Caller,
  access: Extract<Access, { kind: 'caller' }>,
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
      throw new NotFound(`App ${shown(id)} not found`);
    return { caller, app };
  }
  if (!isCatalogId(id)) throw new Invalid(`${what} ${shown(id)} is not a valid id`);
  const entry = await reader.catalogEntry(caller.ownerId, type, id);
  if (!entry) throw new NotFound(`${type[0]?.toUpperCase()}${type.slice(1)} ${shown(id)} not found`);
  return { caller, entry };
}
