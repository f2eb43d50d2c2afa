/**
 * Koolbase's OTA API at its own paths (`/v1/...`), on the one release model. Entries have the
 * shape `RouteDefinition` (`shared/http/route-definition.ts`); the route table (`shared/routes.ts`)
 * includes them, and nothing here imports the table back.
 */
import type { Access, Action } from '../../domain/access.js';
import { KOOLBASE_CHECK_PATH, KOOLBASE_PROJECT } from '../../domain/koolbase-paths.js';
import { FUNCTION_BODY_LIMIT_BYTES } from '../../http/multipart.js';
import { EMPTY, type Grant, type RouteDefinition } from '../../http/route-definition.js';
import {
  bundleAnswer,
  bundleListAnswer,
  checkAnswerSchema,
  createKeyBody,
  keyListAnswer,
  newKeyAnswer,
  requestUploadBody,
  rotateKeyBody,
  setMandatoryBody,
  uploadSlotAnswer,
} from './schemas.js';

const onProject = (action: Action): Access => ({
  kind: 'caller',
  resourceType: 'app',
  action,
  resource: { type: 'app', param: 'project_id' },
});

const UPLOAD_GRANTS: readonly Grant[] = ['table:write', 'artifacts:presign-put', 'artifacts:promote', 'artifacts:delete'];
const BUNDLE = `${KOOLBASE_PROJECT}/bundles/{bundle_id}`;

const base = { edgeCache: false, domain: 'koolbase', face: 'koolbase' } as const;

export const KOOLBASE_ROUTES: readonly RouteDefinition[] = [
  {
    ...base,
    id: 'KoolbaseUpload',
    multipart: {
      bundle: { kind: 'file', required: true, description: 'The bundle (a zip)' },
      channel: { kind: 'text', description: 'The channel (default: stable)' },
      release_notes: { kind: 'text', description: 'Release notes' },
      mandatory: { kind: 'text', description: '`true` makes the update mandatory' },
    },
    responses: { 201: bundleAnswer },
    method: 'POST',
    path: `${KOOLBASE_PROJECT}/upload`,
    handler: 'koolbase-upload',
    access: onProject('upload'),
    grants: UPLOAD_GRANTS,
    bodyLimit: {
      bytes: FUNCTION_BODY_LIMIT_BYTES,
      message:
        'bundle too large (max 50MB); bodies over 4 MB cannot be sent in one request here: POST /v1/projects/{project_id}/ota/uploads for an upload URL, PUT the bundle to it, then POST /v1/projects/{project_id}/ota/uploads/{bundle_id}/complete',
    },
    summary: 'Upload a bundle (multipart: bundle, channel, mandatory, release_notes); 201 with the bundle, not active yet',
  },
  {
    ...base,
    id: 'KoolbaseRequestUpload',
    responses: { 201: uploadSlotAnswer },
    method: 'POST',
    path: `${KOOLBASE_PROJECT}/uploads`,
    handler: 'koolbase-request-upload',
    access: onProject('upload'),
    grants: ['table:write', 'artifacts:presign-put'],
    request: { body: requestUploadBody },
    summary: 'Start a bundle upload of up to 50 MB: a presigned PUT URL for the bytes (then complete it)',
  },
  {
    ...base,
    id: 'KoolbaseCompleteUpload',
    responses: { 201: bundleAnswer },
    method: 'POST',
    path: `${KOOLBASE_PROJECT}/uploads/{bundle_id}/complete`,
    handler: 'koolbase-complete-upload',
    access: onProject('upload'),
    // A rejected upload deletes its draft bundle.
    grants: ['table:write', 'artifacts:delete'],
    summary: 'The bundle once its PUT was verified (201); 409 while it has not arrived, 400 when rejected',
  },
  {
    ...base,
    id: 'KoolbaseListBundles',
    responses: { 200: bundleListAnswer },
    method: 'GET',
    path: `${KOOLBASE_PROJECT}/bundles`,
    handler: 'koolbase-list-bundles',
    access: onProject('read'),
    grants: ['table:get', 'table:query'],
    summary: "The project's bundles, newest first (an array)",
  },
  {
    ...base,
    id: 'KoolbaseActivateBundle',
    responses: { 200: bundleAnswer },
    method: 'POST',
    path: `${BUNDLE}/activate`,
    handler: 'koolbase-activate-bundle',
    access: onProject('edit'),
    grants: ['table:write'],
    summary: "Make a bundle its channel's active one (publishes it, yanks the one it replaces)",
  },
  {
    ...base,
    id: 'KoolbaseUpdateBundle',
    responses: { 204: EMPTY },
    method: 'PATCH',
    path: BUNDLE,
    handler: 'koolbase-update-bundle',
    access: onProject('edit'),
    grants: ['table:write'],
    request: { body: setMandatoryBody },
    summary: "Set a bundle's mandatory flag (204)",
  },
  {
    ...base,
    id: 'KoolbaseDeleteBundle',
    responses: { 204: EMPTY },
    method: 'DELETE',
    path: BUNDLE,
    handler: 'koolbase-delete-bundle',
    access: onProject('delete'),
    grants: ['table:write', 'artifacts:delete'],
    summary: 'Delete a bundle and its stored object (204)',
  },
  {
    ...base,
    id: 'KoolbaseCreateKey',
    responses: { 201: newKeyAnswer },
    method: 'POST',
    path: `${KOOLBASE_PROJECT}/keys`,
    handler: 'koolbase-create-key',
    access: onProject('edit'),
    grants: ['table:write'],
    request: { body: createKeyBody },
    summary: 'Create an SDK key (pk_live_…, shown once, stored as a SHA-256), optionally for one channel',
  },
  {
    ...base,
    id: 'KoolbaseListKeys',
    responses: { 200: keyListAnswer },
    method: 'GET',
    path: `${KOOLBASE_PROJECT}/keys`,
    handler: 'koolbase-list-keys',
    access: onProject('read'),
    grants: ['table:get'],
    summary: "The project's SDK keys (id, prefix, channel, a rotated key's expires_at; never the key)",
  },
  {
    ...base,
    id: 'KoolbaseRotateKey',
    responses: { 201: newKeyAnswer },
    method: 'POST',
    path: `${KOOLBASE_PROJECT}/keys/{key_id}/rotate`,
    handler: 'koolbase-rotate-key',
    access: onProject('edit'),
    grants: ['table:write'],
    request: { body: rotateKeyBody },
    summary:
      'Replace an SDK key (201, the new key shown once, same channel limit); the old one keeps working for grace_seconds (default 24 h, 0 to 30 days), then answers 401',
  },
  {
    ...base,
    id: 'KoolbaseDeleteKey',
    responses: { 204: EMPTY },
    method: 'DELETE',
    path: `${KOOLBASE_PROJECT}/keys/{key_id}`,
    handler: 'koolbase-delete-key',
    access: onProject('delete'),
    grants: ['table:write'],
    summary: 'Revoke an SDK key (204); its cached answers are purged',
  },
  {
    ...base,
    id: 'KoolbaseCheck',
    responses: { 200: checkAnswerSchema },
    method: 'GET',
    path: KOOLBASE_CHECK_PATH,
    handler: 'koolbase-check',
    access: { kind: 'public' },
    // The key's SHA-256 (computed at the edge) splits the cache; the key itself never enters it.
    edgeCache: { query: ['channel', 'version'], apiKeyHash: true },
    grants: ['table:get'],
    summary: "SDK check (x-api-key): the channel's active bundle when newer than the client's version; one GetItem",
  },
];
