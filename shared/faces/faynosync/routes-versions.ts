/** faynoSync routes: uploads, version edits and deletes, search, download. */

import * as z from 'zod/mini';
import type { Access, Action } from '../../domain/access.js';
import { FAYNO_DOWNLOAD_PATH } from '../../domain/public-paths.js';
import { FUNCTION_BODY_LIMIT_BYTES } from '../../http/multipart.js';
import type { Grant, RouteDefinition } from '../../http/route-definition.js';
import { downloadAnswer, presignAnswer, resultAnswer, searchAnswer } from './answers.js';

const onOwnApps = (action: Action): Access => ({ kind: 'caller', resourceType: 'app', action, resource: { type: 'account' } });

/** Reads the caller's apps (owner index) and their releases; writes releases and artifacts. */
const WRITE: readonly Grant[] = ['table:write', 'table:index'];
/** Uploads in the request body: staged, verified in the request (as ingest does), promoted. */
const UPLOAD: readonly Grant[] = [...WRITE, 'artifacts:presign-put', 'artifacts:promote', 'artifacts:delete'];

/** The presigned path, named in the 413 an oversized `/upload` gets. */
export const PRESIGNED_PATH_HINT =
  'Request body is over 4 MiB: upload larger files through the presigned path: POST /upload/presign ' +
  '(the same data as JSON plus "files":[{"name","size"}]), PUT each file to its upload_url, then POST /upload/confirm {"id"}';

/** `/upload` and `/apps/update`: faynoSync's `data` (JSON of the version's fields) and the files. */
const VERSION_FORM = {
  data: {
    kind: 'json',
    required: true,
    description:
      'JSON: id (updates), app_name, version, channel, platform, arch, changelog, updater, signature, publish, critical, intermediate, rollout',
  },
  intermediate: { kind: 'text', description: '`true` marks the version intermediate (as in `data`)' },
  file: { kind: 'file', many: true, description: "The version's files (required by /upload, optional on /apps/update)" },
} as const;

export const FAYNOSYNC_VERSION_ROUTES: readonly RouteDefinition[] = [
  {
    id: 'FsUpload',
    multipart: VERSION_FORM,
    responses: { 200: resultAnswer('uploadResult.Uploaded', z.string()) },
    method: 'POST',
    path: '/upload',
    handler: 'fs-upload',
    access: onOwnApps('upload'),
    edgeCache: false,
    grants: UPLOAD,
    domain: 'faynosync',
    face: 'faynosync',
    bodyLimit: { bytes: FUNCTION_BODY_LIMIT_BYTES, message: PRESIGNED_PATH_HINT },
    summary: "faynoSync: upload files of a version (multipart `data` + `file` parts); the version's release is created on first upload",
  },
  {
    id: 'FsUploadPresign',
    responses: { 200: presignAnswer },
    method: 'POST',
    path: '/upload/presign',
    handler: 'fs-upload-presign',
    access: onOwnApps('upload'),
    edgeCache: false,
    grants: [...WRITE, 'artifacts:presign-put'],
    domain: 'faynosync',
    face: 'faynosync',
    summary: "faynoSync: presigned upload URLs for a version's files (files too large for /upload)",
  },
  {
    id: 'FsUploadConfirm',
    responses: { 200: resultAnswer('uploadResult.Uploaded', z.string()) },
    method: 'POST',
    path: '/upload/confirm',
    handler: 'fs-upload-confirm',
    access: onOwnApps('upload'),
    edgeCache: false,
    grants: WRITE,
    domain: 'faynosync',
    face: 'faynosync',
    summary: 'faynoSync: confirm a presigned upload once every file is verified (publishing what its presign created with `publish: true`)',
  },
  {
    id: 'FsVersionUpdate',
    multipart: VERSION_FORM,
    responses: { 200: resultAnswer('updatedResult.Updated', z.boolean()) },
    method: 'POST',
    path: '/apps/update',
    handler: 'fs-version-update',
    access: onOwnApps('edit'),
    edgeCache: false,
    grants: UPLOAD,
    domain: 'faynosync',
    face: 'faynosync',
    bodyLimit: { bytes: FUNCTION_BODY_LIMIT_BYTES, message: PRESIGNED_PATH_HINT },
    summary: "faynoSync: edit a version's flags and changelog, optionally adding files",
  },
  {
    id: 'FsVersionDelete',
    responses: { 200: resultAnswer('deleteSpecificAppResult.DeletedCount', z.number()) },
    method: 'DELETE',
    path: '/apps/delete',
    handler: 'fs-version-delete',
    access: onOwnApps('delete'),
    edgeCache: false,
    grants: [...WRITE, 'artifacts:delete'],
    domain: 'faynosync',
    face: 'faynosync',
    summary: 'faynoSync: delete a version and its files (`?id=`)',
  },
  {
    id: 'FsArtifactDelete',
    multipart: {
      data: { kind: 'json', required: true, description: 'JSON: {"id", "app_name", "version", "artifacts_to_delete": [indices]}' },
    },
    responses: { 200: resultAnswer('deleteSpecificArtifactResult', z.boolean()) },
    method: 'POST',
    path: '/artifact/delete',
    handler: 'fs-artifact-delete',
    access: onOwnApps('delete'),
    edgeCache: false,
    grants: [...WRITE, 'artifacts:delete'],
    domain: 'faynosync',
    face: 'faynosync',
    summary: "faynoSync: delete files of a version by their index in /search's list",
  },
  {
    id: 'FsSearch',
    responses: { 200: searchAnswer },
    method: 'GET',
    path: '/search',
    handler: 'fs-search',
    access: onOwnApps('read'),
    edgeCache: false,
    grants: WRITE, // the first read of an owner's catalog provides its built-in entries
    domain: 'faynosync',
    face: 'faynosync',
    summary: "faynoSync: an app's versions, newest first, filtered by channel, published, critical, platform, arch",
  },
  {
    id: 'FsDownload',
    responses: { 200: downloadAnswer },
    method: 'GET',
    path: FAYNO_DOWNLOAD_PATH,
    handler: 'fs-download',
    // A private app's clients follow its `/download?key=` links with their download token.
    access: { kind: 'caller', resourceType: 'app', action: 'download', resource: { type: 'account' }, orDownloadToken: true },
    edgeCache: false,
    grants: ['table:get', 'table:query', 'table:index', 'artifacts:read'],
    domain: 'faynosync',
    face: 'faynosync',
    summary:
      "faynoSync: a presigned download URL of one of the caller's files (`?key=` its link or `<version id>/<file id>`), or of a published file a download token opens",
  },
];
