/**
 * The route table: the single source of truth for every HTTP endpoint. The CDK stack creates one
 * Lambda and one API Gateway route per entry, the local gateway dispatches from it, and the tests
 * check every entry has a handler, a route and a test.
 */

/** Who may call a route: anyone, or a signed-in Cognito user (access token). */
export type Access = 'public' | 'user';

/** What a route's function may touch; the stack turns each into the narrowest IAM grant. */
export type Grant = 'table:read' | 'table:write' | 'artifacts:presign-put' | 'artifacts:read' | 'artifacts:delete' | 'edge:invalidate';

export interface RouteDefinition {
  /** Stable identifier, also the construct id. */
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway path syntax: `{name}` is one segment. */
  readonly path: string;
  /** Base name of the entry point in `lambdas/`. */
  readonly handler: string;
  readonly access: Access;
  /** Whether CloudFront may cache the answer (cache key: the path only). */
  readonly edgeCache: boolean;
  readonly grants: readonly Grant[];
  readonly summary: string;
}

/** A function run by an event rather than a route. */
export interface EventFunctionDefinition {
  readonly id: string;
  readonly handler: string;
  readonly grants: readonly Grant[];
  readonly summary: string;
}

const APPS = '/api/sync/ota/apps';

export const ROUTES: readonly RouteDefinition[] = [
  {
    id: 'Health',
    method: 'GET',
    path: '/health',
    handler: 'health',
    access: 'public',
    edgeCache: false,
    grants: [],
    summary: 'Liveness probe',
  },
  {
    id: 'CreateApp',
    method: 'POST',
    path: APPS,
    handler: 'create-app',
    access: 'user',
    edgeCache: false,
    grants: ['table:write'],
    summary: 'Create an app',
  },
  {
    id: 'ListApps',
    method: 'GET',
    path: APPS,
    handler: 'list-apps',
    access: 'user',
    edgeCache: false,
    grants: ['table:read'],
    summary: "List the caller's apps",
  },
  {
    id: 'GetApp',
    method: 'GET',
    path: `${APPS}/{app_id}`,
    handler: 'get-app',
    access: 'user',
    edgeCache: false,
    grants: ['table:read'],
    summary: 'Get one app',
  },
  {
    id: 'DeleteApp',
    method: 'DELETE',
    path: `${APPS}/{app_id}`,
    handler: 'delete-app',
    access: 'user',
    edgeCache: false,
    grants: ['table:write', 'artifacts:delete', 'edge:invalidate'],
    summary: 'Delete an app with its releases and artifacts',
  },
  {
    id: 'SetSlug',
    method: 'PUT',
    path: `${APPS}/{app_id}/slug`,
    handler: 'set-slug',
    access: 'user',
    edgeCache: false,
    grants: ['table:write', 'edge:invalidate'],
    summary: "Set the app's public slug",
  },
  {
    id: 'CreateRelease',
    method: 'POST',
    path: `${APPS}/{app_id}/releases`,
    handler: 'create-release',
    access: 'user',
    edgeCache: false,
    grants: ['table:write'],
    summary: 'Create a release',
  },
  {
    id: 'ListReleases',
    method: 'GET',
    path: `${APPS}/{app_id}/releases`,
    handler: 'list-releases',
    access: 'user',
    edgeCache: false,
    grants: ['table:read'],
    summary: "List an app's releases with their artifacts",
  },
  {
    id: 'DeleteRelease',
    method: 'DELETE',
    path: `${APPS}/{app_id}/releases/{release_id}`,
    handler: 'delete-release',
    access: 'user',
    edgeCache: false,
    grants: ['table:write', 'artifacts:delete', 'edge:invalidate'],
    summary: 'Delete a release and its artifacts',
  },
  {
    id: 'CreateArtifactUpload',
    method: 'POST',
    path: `${APPS}/{app_id}/releases/{release_id}/artifacts`,
    handler: 'create-artifact-upload',
    access: 'user',
    edgeCache: false,
    grants: ['table:write', 'artifacts:presign-put'],
    summary: 'Get a presigned upload URL for one target/arch',
  },
  {
    id: 'CheckUpdate',
    method: 'GET',
    path: '/api/sync/ota/{slug}/{target}/{arch}/{current_version}',
    handler: 'check-update',
    access: 'public',
    edgeCache: true,
    grants: ['table:read'],
    summary: 'Tauri update check: 200 with the update, 204 when current',
  },
  {
    id: 'DownloadArtifact',
    method: 'GET',
    path: '/api/sync/ota/{slug}/download/{release_id}/{target}/{arch}',
    handler: 'download-artifact',
    access: 'public',
    edgeCache: true,
    // The cloud redirects to CloudFront, which reads the bucket through origin access control;
    // only the local stack (no IAM) presigns downloads.
    grants: ['table:read'],
    summary: 'Redirect (302) to the verified artifact',
  },
];

export const EVENT_FUNCTIONS: readonly EventFunctionDefinition[] = [
  {
    id: 'IngestArtifact',
    handler: 'ingest-artifact',
    grants: ['table:write', 'artifacts:read', 'artifacts:delete', 'edge:invalidate'],
    summary: 'Verify an uploaded artifact (size, SHA-256) and publish it to the feed',
  },
];

/** Literal segments count for precedence, as in API Gateway: `/apps/{id}` beats `/{slug}/{x}`. */
export function routeSpecificity(path: string): number[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith('{') ? 0 : 1));
}
