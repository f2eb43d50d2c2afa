/**
 * Private apps: the routes that manage download tokens. Entries have the shape
 * `RouteDefinition`; the route table (`shared/routes.ts`) includes them.
 */
import type { Access, Action } from './domain/access.js';
import { API_PREFIX } from './domain/public-paths.js';
import { createDownloadTokenBody, downloadTokenListAnswer, newDownloadTokenAnswer } from './http/private-schemas.js';
import { EMPTY, type RouteDefinition } from './http/route-definition.js';

const TOKENS = `${API_PREFIX}/apps/{app_id}/download-tokens`;

const onApp = (action: Action): Access => ({ kind: 'caller', resourceType: 'app', action, resource: { type: 'app', param: 'app_id' } });

export const PRIVATE_ROUTES: readonly RouteDefinition[] = [
  {
    id: 'CreateDownloadToken',
    responses: { 201: newDownloadTokenAnswer },
    method: 'POST',
    path: TOKENS,
    handler: 'create-download-token',
    access: onApp('edit'),
    edgeCache: false,
    grants: ['table:write'],
    domain: 'apps',
    request: { body: createDownloadTokenBody },
    summary: "Create a private app's download token (dl_…, shown once, stored as a SHA-256), optionally for one channel, with an expiry",
  },
  {
    id: 'ListDownloadTokens',
    responses: { 200: downloadTokenListAnswer },
    method: 'GET',
    path: TOKENS,
    handler: 'list-download-tokens',
    access: onApp('read'),
    edgeCache: false,
    // The app's token records, and the owner's catalog for the names of limited tokens' channels.
    grants: ['table:query'],
    domain: 'apps',
    summary: "The app's download tokens (id, name, prefix, channel, expires_at, expired; never the token)",
  },
  {
    id: 'RevokeDownloadToken',
    responses: { 204: EMPTY },
    method: 'DELETE',
    path: `${TOKENS}/{token_id}`,
    handler: 'revoke-download-token',
    access: onApp('edit'),
    edgeCache: false,
    grants: ['table:write'],
    domain: 'apps',
    summary: 'Revoke a download token (204): checks, feeds and downloads refuse it from the next request',
  },
];
