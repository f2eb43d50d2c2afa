/**
 * The route table: the single source of truth for every HTTP endpoint. Each entry says what the
 * route is (method, path, handler), who may call it (`access`), what the edge may cache and by
 * which key (`edgeCache`), what its function may touch (`grants`) and where it is deployed
 * (`domain`: one nested stack per domain). The CDK stack builds functions, IAM, API routes and
 * CloudFront behaviours from it; the local gateway dispatches from it; the authorization
 * middleware reads `access` from it; tests check every entry.
 */

import type { Access, Action, ResourceType } from './domain/access.js';
import { API_PREFIX, APP_FILES_PREFIX, FEEDS_PREFIX } from './domain/public-paths.js';
import { FAYNOSYNC_ROUTES } from './faces/faynosync/routes.js';
import { KOOLBASE_ROUTES } from './faces/koolbase/routes.js';
import {
  changes,
  document,
  EMPTY,
  type EventFunctionDefinition,
  type Grant,
  REDIRECT,
  type RouteDefinition,
  routeSpecificity,
} from './http/route-definition.js';
import * as schemas from './http/schemas.js';
import { appStatsAnswer, appStatsQuery } from './http/telemetry-schemas.js';
import { ACCESS_ROUTES } from './routes-access.js';
import { PRIVATE_ROUTES } from './routes-private.js';
import { WEBHOOK_ROUTES } from './routes-webhooks.js';

export { API_PREFIX };

const APPS = `${API_PREFIX}/apps`;
const APP = `${APPS}/{app_id}`;
const RELEASE = `${APP}/releases/{release_id}`;

const PUBLIC = { kind: 'public' } as const;
/** An install report's largest body: its fields at their limits fit in well under 4 KB. */
const INSTALL_REPORT_BYTES = 4_096;
const account = (resourceType: ResourceType, action: Action): Access => ({
  kind: 'caller',
  resourceType,
  action,
  resource: { type: 'account' },
});
const onApp = (action: Action): Access => ({ kind: 'caller', resourceType: 'app', action, resource: { type: 'app', param: 'app_id' } });

const READ_TABLE: readonly Grant[] = ['table:get', 'table:query'];
const WRITE_TABLE: readonly Grant[] = ['table:write'];

function catalogRoutes(kind: 'channel' | 'platform' | 'arch', plural: string, label: string): RouteDefinition[] {
  const Kind = `${kind[0]?.toUpperCase()}${kind.slice(1)}`;
  const base = `${API_PREFIX}/${plural}`;
  const one: Access = { kind: 'caller', resourceType: kind, action: 'edit', resource: { type: kind, param: `${kind}_id` } };
  return [
    {
      id: `Create${Kind}`,
      responses: { 201: schemas.catalogEntryAnswer },
      method: 'POST',
      path: base,
      handler: `create-${kind}`,
      access: account(kind, 'create'),
      edgeCache: false,
      grants: WRITE_TABLE,
      domain: 'catalog',
      request: { body: schemas.createCatalogBody },
      summary: `Create a ${label} in the caller's catalog`,
    },
    {
      id: `List${Kind}s`,
      responses: { 200: schemas.catalogListAnswer },
      method: 'GET',
      path: base,
      handler: `list-${kind}s`,
      access: account(kind, 'read'),
      edgeCache: false,
      grants: WRITE_TABLE, // the first read provides the built-in entries
      domain: 'catalog',
      summary: `List the caller's ${label}s, built-in ones included`,
    },
    {
      id: `Update${Kind}`,
      responses: { 200: schemas.catalogEntryAnswer },
      method: 'PATCH',
      path: `${base}/{${kind}_id}`,
      handler: `update-${kind}`,
      access: one,
      edgeCache: false,
      grants: [...WRITE_TABLE, 'table:index'],
      domain: 'catalog',
      request: { body: schemas.updateCatalogBody },
      summary: `Rename or reconfigure a ${label}; every feed that names it follows`,
    },
    {
      id: `Delete${Kind}`,
      responses: { 204: EMPTY },
      method: 'DELETE',
      path: `${base}/{${kind}_id}`,
      handler: `delete-${kind}`,
      access: { ...one, action: 'delete' },
      edgeCache: false,
      grants: [...WRITE_TABLE, 'table:index'],
      domain: 'catalog',
      summary: `Delete an unused ${label} (409 while releases use it)`,
    },
  ];
}

const ROUTES_BASE: readonly RouteDefinition[] = [
  {
    id: 'GetJob',
    responses: { 200: schemas.jobAnswer },
    method: 'GET',
    path: `${API_PREFIX}/jobs/{job_id}`,
    handler: 'get-job',
    // The job is read under the caller's account key: another account's job is a 404.
    access: { kind: 'owner' },
    edgeCache: false,
    grants: ['table:get'],
    domain: 'apps',
    summary: 'A background job of the account (a privacy change, a catalog change): kind, state, progress, error',
  },
  {
    id: 'Health',
    responses: { 200: schemas.healthAnswer, 503: schemas.healthAnswer },
    method: 'GET',
    path: '/health',
    handler: 'health',
    access: PUBLIC,
    edgeCache: false,
    grants: ['table:get', 'artifacts:head'],
    domain: 'public',
    summary: 'Deep health check: reads the table and the artifact bucket; 503 when either fails',
  },
  {
    id: 'OpenApi',
    responses: { 200: schemas.openApiAnswer },
    method: 'GET',
    path: '/openapi.json',
    handler: 'openapi',
    access: PUBLIC,
    edgeCache: { query: [] },
    grants: [],
    domain: 'public',
    summary: 'The OpenAPI 3.1 document of every route, generated from this table',
  },
  {
    id: 'NotFound',
    responses: {},
    method: 'GET',
    path: '$default',
    handler: 'not-found',
    access: PUBLIC,
    edgeCache: false,
    grants: [],
    domain: 'public',
    summary: 'Any request no route matches: a 404 in the service error shape',
  },
  ...catalogRoutes('channel', 'channels', 'channel'),
  ...catalogRoutes('platform', 'platforms', 'platform'),
  ...catalogRoutes('arch', 'archs', 'architecture'),
  {
    id: 'CreateApp',
    responses: { 201: schemas.appAnswer },
    method: 'POST',
    path: APPS,
    handler: 'create-app',
    access: account('app', 'create'),
    edgeCache: false,
    grants: WRITE_TABLE,
    domain: 'apps',
    request: { body: schemas.createAppBody },
    summary: 'Create an app',
  },
  {
    id: 'ListApps',
    responses: { 200: schemas.appListAnswer },
    method: 'GET',
    path: APPS,
    handler: 'list-apps',
    access: account('app', 'read'),
    edgeCache: false,
    // The index lists the apps; a Query of the owner's catalog names their default channels.
    grants: ['table:index', 'table:query'],
    domain: 'apps',
    summary: "List the caller's apps",
  },
  {
    id: 'GetApp',
    responses: { 200: schemas.appAnswer },
    method: 'GET',
    path: APP,
    handler: 'get-app',
    access: onApp('read'),
    edgeCache: false,
    grants: ['table:get'],
    domain: 'apps',
    summary: 'Get one app',
  },
  {
    id: 'GetAppStats',
    responses: { 200: appStatsAnswer },
    method: 'GET',
    path: `${APP}/stats`,
    handler: 'get-app-stats',
    access: onApp('read'),
    edgeCache: false,
    request: { query: appStatsQuery },
    grants: ['table:query'],
    domain: 'apps',
    summary: "The app's counted checks and unique clients per day, channel, platform, arch, version and state (30 days kept)",
  },
  {
    id: 'UpdateApp',
    responses: { 200: schemas.appUpdateAnswer },
    method: 'PATCH',
    path: APP,
    handler: 'update-app',
    access: onApp('edit'),
    edgeCache: false,
    // Making an app private or public retags its verified objects (a job's first step runs in the request).
    grants: [...WRITE_TABLE, 'artifacts:tag'],
    domain: 'apps',
    request: { body: schemas.updateAppBody },
    summary:
      'Rename an app, change its default channel, or make it private or public (the answer then carries the job retagging its files)',
  },
  {
    id: 'DeleteApp',
    responses: { 204: EMPTY },
    method: 'DELETE',
    path: APP,
    handler: 'delete-app',
    access: onApp('delete'),
    edgeCache: false,
    grants: [...WRITE_TABLE, 'artifacts:delete'],
    domain: 'apps',
    summary: 'Delete an app with its releases and artifacts',
  },
  {
    id: 'SetSlug',
    responses: { 200: schemas.appAnswer },
    method: 'PUT',
    path: `${APP}/slug`,
    handler: 'set-slug',
    access: onApp('edit'),
    edgeCache: false,
    grants: WRITE_TABLE,
    domain: 'apps',
    request: { body: schemas.setSlugBody },
    summary: "Set the app's public slug",
  },
  {
    id: 'CreateRelease',
    responses: { 201: schemas.releaseAnswer },
    method: 'POST',
    path: `${APP}/releases`,
    handler: 'create-release',
    access: onApp('upload'),
    edgeCache: false,
    grants: WRITE_TABLE,
    domain: 'releases',
    request: { body: schemas.createReleaseBody },
    summary: 'Create a release (draft, or published at once in the SyncKit flow)',
  },
  {
    id: 'ListReleases',
    responses: { 200: schemas.releaseListAnswer },
    method: 'GET',
    path: `${APP}/releases`,
    handler: 'list-releases',
    access: onApp('read'),
    edgeCache: false,
    grants: READ_TABLE,
    domain: 'releases',
    request: { query: schemas.releaseSearchQuery },
    summary: "Search an app's releases (filters, newest first, paged)",
  },
  {
    id: 'GetRelease',
    responses: { 200: schemas.releaseAnswer },
    method: 'GET',
    path: RELEASE,
    handler: 'get-release',
    access: onApp('read'),
    edgeCache: false,
    grants: READ_TABLE,
    domain: 'releases',
    summary: 'Get one release with its artifacts and their states',
  },
  {
    id: 'UpdateRelease',
    responses: { 200: schemas.releaseAnswer },
    method: 'PATCH',
    path: RELEASE,
    handler: 'update-release',
    access: onApp('edit'),
    edgeCache: false,
    grants: WRITE_TABLE,
    domain: 'releases',
    request: { body: schemas.updateReleaseBody },
    summary: "Edit a release's metadata and flags",
  },
  {
    id: 'DeleteRelease',
    responses: { 204: EMPTY },
    method: 'DELETE',
    path: RELEASE,
    handler: 'delete-release',
    access: onApp('delete'),
    edgeCache: false,
    grants: [...WRITE_TABLE, 'artifacts:delete'],
    domain: 'releases',
    summary: 'Delete a release and its artifacts',
  },
  {
    id: 'PublishRelease',
    responses: { 200: schemas.releaseAnswer },
    method: 'POST',
    path: `${RELEASE}/publish`,
    handler: 'publish-release',
    access: onApp('edit'),
    edgeCache: false,
    grants: WRITE_TABLE,
    domain: 'releases',
    request: { body: schemas.publishReleaseBody },
    summary: 'Publish a release now or at a given time (refused while an artifact is not verified)',
  },
  {
    id: 'YankRelease',
    responses: { 200: schemas.releaseAnswer },
    method: 'POST',
    path: `${RELEASE}/yank`,
    handler: 'yank-release',
    access: onApp('edit'),
    edgeCache: false,
    grants: WRITE_TABLE,
    domain: 'releases',
    summary: 'Take a release out of every answer; clients fall back to the previous one',
  },
  {
    id: 'SetRollout',
    responses: { 200: schemas.releaseAnswer },
    method: 'PUT',
    path: `${RELEASE}/rollout`,
    handler: 'set-rollout',
    access: onApp('edit'),
    edgeCache: false,
    grants: WRITE_TABLE,
    domain: 'releases',
    request: { body: schemas.rolloutBody },
    summary: 'Offer a release to a percentage of devices (0 halts, 100 is everyone)',
  },
  {
    id: 'ReleaseInstalls',
    responses: { 200: schemas.installFiguresAnswer },
    method: 'GET',
    path: `${RELEASE}/installs`,
    handler: 'release-installs',
    access: onApp('read'),
    edgeCache: false,
    grants: READ_TABLE,
    domain: 'releases',
    summary: "A release's install reports: installs, failures, rollbacks, failure rate, per day, and its halt rule's state",
  },
  {
    id: 'PromoteRelease',
    responses: { 200: schemas.releaseAnswer },
    method: 'POST',
    path: `${RELEASE}/promote`,
    handler: 'promote-release',
    access: onApp('edit'),
    edgeCache: false,
    grants: WRITE_TABLE,
    domain: 'releases',
    request: { body: schemas.promoteReleaseBody },
    summary: 'Offer a published release in another channel too, with the same verified files (nothing is uploaded or copied)',
  },
  {
    id: 'RollbackChannel',
    responses: { 200: schemas.rollbackAnswer },
    method: 'POST',
    path: `${APP}/channels/{channel}/rollback`,
    handler: 'rollback-channel',
    access: onApp('edit'),
    edgeCache: false,
    grants: WRITE_TABLE,
    domain: 'releases',
    request: { body: schemas.rollbackChannelBody },
    summary: 'Roll a channel back to one of its versions: every newer release leaves the channel in one step',
  },
  {
    id: 'CreateArtifactUpload',
    responses: { 201: schemas.artifactUploadAnswer },
    method: 'POST',
    path: `${RELEASE}/artifacts`,
    handler: 'create-artifact-upload',
    access: onApp('upload'),
    edgeCache: false,
    grants: [...WRITE_TABLE, 'artifacts:presign-put'],
    domain: 'releases',
    request: { body: schemas.createArtifactBody },
    summary: 'Declare an artifact and get a presigned upload URL',
  },
  {
    id: 'UploadParts',
    responses: { 200: schemas.uploadPartsAnswer },
    method: 'POST',
    path: `${RELEASE}/artifacts/{artifact_id}/parts`,
    handler: 'upload-parts',
    access: onApp('upload'),
    edgeCache: false,
    grants: [...READ_TABLE, 'artifacts:presign-put', 'artifacts:multipart'],
    domain: 'releases',
    request: { body: schemas.uploadPartsBody },
    summary: 'Part URLs of a multipart upload (more parts, or fresh ones to resume) and the parts already received',
  },
  {
    id: 'CompleteUpload',
    responses: { 202: schemas.completeUploadAnswer },
    method: 'POST',
    path: `${RELEASE}/artifacts/{artifact_id}/complete`,
    handler: 'complete-upload',
    access: onApp('upload'),
    edgeCache: false,
    grants: [...READ_TABLE, 'artifacts:presign-put', 'artifacts:multipart'],
    domain: 'releases',
    request: { body: schemas.completeUploadBody },
    summary: 'Complete a multipart upload; ingest verifies it like a single PUT',
  },
  {
    id: 'AbortUpload',
    responses: { 204: EMPTY },
    method: 'POST',
    path: `${RELEASE}/artifacts/{artifact_id}/abort`,
    handler: 'abort-upload',
    access: onApp('upload'),
    edgeCache: false,
    grants: [...READ_TABLE, 'artifacts:multipart'],
    domain: 'releases',
    request: { body: schemas.abortUploadBody },
    summary: 'Abort a multipart upload (its parts are discarded)',
  },
  {
    id: 'GetArtifact',
    responses: { 200: schemas.artifactAnswer },
    method: 'GET',
    path: `${RELEASE}/artifacts/{artifact_id}`,
    handler: 'get-artifact',
    access: onApp('read'),
    edgeCache: false,
    grants: READ_TABLE,
    domain: 'releases',
    summary: "An artifact's state: pending, ready, rejected or failed, with the reason",
  },
  {
    id: 'DeleteArtifact',
    responses: { 204: EMPTY },
    method: 'DELETE',
    path: `${RELEASE}/artifacts/{artifact_id}`,
    handler: 'delete-artifact',
    access: onApp('delete'),
    edgeCache: false,
    grants: [...WRITE_TABLE, 'artifacts:delete'],
    domain: 'releases',
    summary: 'Delete one artifact',
  },
  {
    id: 'ReportInstall',
    responses: { 202: schemas.installReportAnswer },
    method: 'POST',
    path: `${API_PREFIX}/installs`,
    handler: 'report-install',
    access: PUBLIC,
    edgeCache: false,
    // Counting, and a halt: the release saved, its feeds rebuilt, the audit trail appended.
    grants: WRITE_TABLE,
    domain: 'public',
    request: { body: schemas.installReportBody },
    bodyLimit: { bytes: INSTALL_REPORT_BYTES, message: `an install report is at most ${INSTALL_REPORT_BYTES} bytes` },
    summary: 'A device reports the outcome of an update (success, failure, rollback); one report per device and release counts',
  },
  {
    id: 'CheckUpdate',
    responses: { 200: schemas.tauriUpdateAnswer, 204: EMPTY },
    method: 'GET',
    path: `${API_PREFIX}/{slug}/{target}/{arch}/{current_version}`,
    handler: 'check-update',
    access: PUBLIC,
    edgeCache: { query: ['channel', 'bundle_type'], deviceBucket: true, downloadToken: true },
    grants: ['table:get'],
    domain: 'public',
    summary: 'Tauri update check: 200 with the update, 204 when current',
  },
  {
    id: 'DownloadArtifact',
    responses: { 302: REDIRECT },
    method: 'GET',
    path: `${API_PREFIX}/{slug}/download/{release_id}/{target}/{arch}`,
    handler: 'download-artifact',
    access: PUBLIC,
    edgeCache: { query: ['package', 'channel'], downloadToken: true },
    // The cloud redirects a public app's downloads to CloudFront, which reads the bucket through
    // origin access control; a private app's (and every local one) are presigned with this grant.
    grants: ['table:get', 'table:query', 'artifacts:read'],
    domain: 'public',
    summary: 'Redirect (302) to the verified artifact',
  },
  {
    id: 'LatestDownload',
    responses: { 302: REDIRECT },
    method: 'GET',
    path: `${API_PREFIX}/{slug}/latest/{target}/{arch}`,
    handler: 'latest-download',
    access: PUBLIC,
    edgeCache: { query: ['channel', 'package'], downloadToken: true },
    grants: ['table:get', 'artifacts:read'],
    domain: 'public',
    summary: 'Redirect (302) to the newest published artifact, for download links on websites',
  },
];

/** The feeds of the stock updaters: generated from the published feed items, edge-cached by path alone. */
const FEEDS: readonly RouteDefinition[] = [
  {
    id: 'TauriStaticFeed',
    responses: { 200: schemas.tauriStaticAnswer },
    method: 'GET',
    path: `${FEEDS_PREFIX}/{slug}/{channel}/tauri/latest.json`,
    handler: 'feed-tauri-static',
    access: PUBLIC,
    edgeCache: { query: [], downloadToken: true },
    // A private app's feed also reads the presented download token's item.
    grants: ['table:query', 'table:get'],
    domain: 'public',
    summary: "Tauri's static update JSON of a channel (platforms at the newest version)",
  },
  {
    id: 'ElectronFeed',
    responses: { 200: document('text/yaml') },
    method: 'GET',
    path: `${FEEDS_PREFIX}/{slug}/electron/{file}`,
    handler: 'feed-electron',
    access: PUBLIC,
    // electron-updater appends ?noCache=<time>: never part of the key.
    edgeCache: { query: [], downloadToken: true },
    grants: ['table:query', 'table:get'],
    domain: 'public',
    summary: 'electron-updater generic provider: {channel}.yml, {channel}-mac.yml, {channel}-linux[-arch].yml',
  },
  {
    id: 'SquirrelMacFeed',
    responses: { 200: schemas.squirrelMacAnswer, 204: EMPTY },
    method: 'GET',
    path: `${FEEDS_PREFIX}/{slug}/{channel}/squirrel-mac/{arch}/{current_version}`,
    handler: 'feed-squirrel-mac',
    access: PUBLIC,
    edgeCache: { query: [], downloadToken: true },
    grants: ['table:get'],
    domain: 'public',
    summary: 'Squirrel.Mac: 200 with the newer .zip, 204 when current',
  },
  {
    id: 'SparkleFeed',
    responses: { 200: document('application/rss+xml') },
    method: 'GET',
    path: `${FEEDS_PREFIX}/{slug}/{channel}/sparkle/{arch}/appcast.xml`,
    handler: 'feed-sparkle',
    access: PUBLIC,
    edgeCache: { query: [], downloadToken: true },
    grants: ['table:get'],
    domain: 'public',
    summary: 'Sparkle appcast of a channel for one arch',
  },
  {
    id: 'SquirrelWindowsFeed',
    responses: { 200: document('text/plain') },
    method: 'GET',
    path: `${FEEDS_PREFIX}/{slug}/{channel}/squirrel-win/{arch}/RELEASES`,
    handler: 'feed-squirrel-windows',
    access: PUBLIC,
    edgeCache: { query: [], downloadToken: true },
    grants: ['table:get'],
    domain: 'public',
    summary: 'Squirrel.Windows RELEASES of a channel for one arch (absolute package URLs)',
  },
  {
    id: 'VelopackFeed',
    responses: { 200: schemas.velopackFeedAnswer, 302: REDIRECT },
    method: 'GET',
    path: `${FEEDS_PREFIX}/{slug}/{channel}/velopack/{file}`,
    handler: 'feed-velopack',
    access: PUBLIC,
    // Velopack sends localVersion, id and stagingId: none of them may split the cache.
    edgeCache: { query: [], downloadToken: true },
    grants: ['table:get', 'table:query', 'artifacts:read'],
    domain: 'public',
    summary: 'Velopack: releases.{channel}.json and the packages it names, under one base URL',
  },
  {
    id: 'DownloadFile',
    responses: { 302: REDIRECT },
    method: 'GET',
    path: `${API_PREFIX}/{slug}/files/{release_id}/{artifact_id}/{file_name}`,
    handler: 'download-file',
    access: PUBLIC,
    edgeCache: { query: [], downloadToken: true },
    grants: ['table:get', 'table:query', 'artifacts:read'],
    domain: 'public',
    summary: 'Redirect (302) to a verified file by id, under the file name its updater expects',
  },
  {
    id: 'DownloadAppFile',
    responses: { 302: REDIRECT },
    method: 'GET',
    path: `${APP_FILES_PREFIX}/{app_id}/{release_id}/{artifact_id}/{file_name}`,
    handler: 'download-app-file',
    access: PUBLIC,
    edgeCache: { query: [], downloadToken: true },
    // The app (is it private?) and the release; a private app's files are presigned.
    grants: ['table:get', 'table:query', 'artifacts:read'],
    domain: 'public',
    summary: 'Redirect (302) to a verified file of a published release by app id (faynoSync and Koolbase links)',
  },
];

/** What every signed-in route needs besides its own grants: authenticating its caller, and recording its changes. */
function withAccessGrants(route: RouteDefinition): RouteDefinition {
  // `table:write` already covers both, on every item.
  if (route.access.kind === 'public' || route.grants.includes('table:write')) return route;
  return { ...route, grants: [...route.grants, 'auth:read', ...(changes(route) ? (['audit:write'] as const) : [])] };
}

/** Every route of the service. */
export const ROUTES: readonly RouteDefinition[] = [
  ...ROUTES_BASE,
  ...FEEDS,
  ...PRIVATE_ROUTES,
  ...WEBHOOK_ROUTES,
  ...ACCESS_ROUTES,
  ...FAYNOSYNC_ROUTES,
  ...KOOLBASE_ROUTES,
].map(withAccessGrants);

export const EVENT_FUNCTIONS: readonly EventFunctionDefinition[] = [
  {
    id: 'IngestArtifact',
    handler: 'ingest-artifact',
    grants: ['table:write', 'artifacts:promote', 'artifacts:delete', 'artifacts:tag'],
    summary: 'Verify an uploaded artifact (size, hashes), promote it out of staging and publish the feeds',
  },
  {
    id: 'IngestFailed',
    handler: 'ingest-failed',
    grants: ['table:write'],
    summary: 'Record why an artifact could not be verified (ingest failure destination)',
  },
  {
    id: 'InvalidateEdge',
    handler: 'invalidate-edge',
    grants: ['edge:state', 'edge:invalidate'],
    summary:
      "Write published apps' edge state (revision, private/deleted, rollouts) to the KeyValueStore, and purge the Koolbase check (outbox items from the table stream)",
  },
  {
    id: 'AggregateTelemetry',
    handler: 'aggregate-telemetry',
    grants: ['telemetry:count'],
    summary: "Count the checks in CloudFront's real-time log records (counter rows with unique-client sketches, from the Kinesis stream)",
  },
  {
    id: 'RunJob',
    handler: 'run-job',
    // Rebuilds feeds (table writes) and retags objects; nothing else.
    grants: ['table:write', 'artifacts:tag'],
    summary: 'Run the next bounded step of a background job (privacy retag, owner-wide feed rebuild), announced by the table stream',
  },
  {
    id: 'FanOutWebhooks',
    handler: 'fan-out-webhooks',
    // Reads the app's webhooks (Query) and sends one message per webhook to the delivery queue (granted in infra).
    grants: ['table:query'],
    summary: 'Turn new webhook event items from the table stream into one delivery message per subscribed webhook (SQS)',
  },
  {
    id: 'DeliverWebhook',
    handler: 'deliver-webhook',
    // Reads the webhook (GetItem) and records the attempt (PutItem on delivery records only); the queue is granted in infra.
    grants: ['table:get', 'webhooks:record'],
    summary: 'Sign and POST one webhook delivery, record the attempt, and delay a failed one with a growing backoff (SQS consumer)',
  },
];

export { routeSpecificity };

/** The route with this id; throws for an unknown id (a programming error). */
export function routeById(id: string): RouteDefinition {
  const route = ROUTES.find((r) => r.id === id);
  if (!route) throw new Error(`No route ${id}`);
  return route;
}
