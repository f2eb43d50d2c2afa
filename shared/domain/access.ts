/**
 * The access vocabulary: what a caller may do (`Action`) on which kind of resource
 * (`ResourceType`), and who may call a route (`Access`). The route table declares it per route,
 * permissions and API-token scopes are written in it, and authorization decides by it.
 * Every layer may read it.
 */
import type { CatalogEntry, CatalogKind } from './catalog.js';
import type { App } from './model.js';

/** What a caller may do; team users hold these per resource type, API tokens per app. */
export type Action = 'read' | 'create' | 'edit' | 'delete' | 'upload' | 'download';

/** The resource a route acts on, and where its id is in the request. */
export type ResourceRef =
  /** The caller's own account (list and create in its catalogs and apps). */
  | { type: 'account' }
  /** One app, by the path parameter `param`. */
  | { type: 'app'; param: string }
  /** One catalog entry, by the path parameter `param`. */
  | { type: 'channel' | 'platform' | 'arch'; param: string };

/** The kinds of resource permissions name (`token`: the account's API tokens). */
export type ResourceType = 'app' | 'channel' | 'platform' | 'arch' | 'token';

/**
 * Who may call a route:
 * - `public`: anyone (updater clients);
 * - `signed-in`: any authenticated caller, API tokens included (whoami);
 * - `owner`: the account's owner only, never a team user or an API token (team users, password, audit trail);
 * - `caller`: the owner, a team user whose permissions allow `action` on `resourceType` (and whose
 *   `allowed` list holds the resource), or an API token whose scope holds the action and the app.
 *   With `orDownloadToken`, a request that carries a private app's download token instead of a
 *   caller credential reaches the handler with that token, which the service admits through the
 *   private-app door (`DownloadAccess`: the token must open the file's app and channel).
 * Authorization is decided in one place (`shared/auth/authorize.ts`) from this declaration.
 */
export type Access =
  | { readonly kind: 'public' }
  | { readonly kind: 'signed-in' }
  | { readonly kind: 'owner' }
  | {
      readonly kind: 'caller';
      readonly resourceType: ResourceType;
      readonly action: Action;
      readonly resource: ResourceRef;
      readonly orDownloadToken?: true;
    };

/** Reads the resources a decision needs (apps and catalog entries by id). */
export interface ResourceReader {
  app(appId: string): Promise<App | undefined>;
  catalogEntry(ownerId: string, kind: CatalogKind, id: string): Promise<CatalogEntry | undefined>;
}
