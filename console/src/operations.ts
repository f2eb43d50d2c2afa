/**
 * Every API operation the console calls: the route table's id, method and path. Nothing else in
 * the console spells a path. The types come from the route table's own zod schemas (type-only
 * imports: nothing of zod reaches the bundle), and test/unit/console-operations.test.ts proves each
 * entry is the route table's route and is in the OpenAPI document with that method.
 */
import type * as z from 'zod/mini';
import type { whoAmIAnswer } from '../../shared/http/access-schemas.js';
import type * as s from '../../shared/http/schemas.js';
import { OPS_OPERATIONS, type OpsOperationTypes } from './operations-ops.js';

export const OPERATIONS = {
  WhoAmI: { method: 'GET', path: '/api/sync/ota/whoami' },
  ListApps: { method: 'GET', path: '/api/sync/ota/apps' },
  CreateApp: { method: 'POST', path: '/api/sync/ota/apps' },
  GetApp: { method: 'GET', path: '/api/sync/ota/apps/{app_id}' },
  UpdateApp: { method: 'PATCH', path: '/api/sync/ota/apps/{app_id}' },
  SetSlug: { method: 'PUT', path: '/api/sync/ota/apps/{app_id}/slug' },
  ListChannels: { method: 'GET', path: '/api/sync/ota/channels' },
  ListPlatforms: { method: 'GET', path: '/api/sync/ota/platforms' },
  ListArchs: { method: 'GET', path: '/api/sync/ota/archs' },
  ListReleases: { method: 'GET', path: '/api/sync/ota/apps/{app_id}/releases' },
  CreateRelease: { method: 'POST', path: '/api/sync/ota/apps/{app_id}/releases' },
  GetRelease: { method: 'GET', path: '/api/sync/ota/apps/{app_id}/releases/{release_id}' },
  PublishRelease: { method: 'POST', path: '/api/sync/ota/apps/{app_id}/releases/{release_id}/publish' },
  YankRelease: { method: 'POST', path: '/api/sync/ota/apps/{app_id}/releases/{release_id}/yank' },
  CreateArtifactUpload: { method: 'POST', path: '/api/sync/ota/apps/{app_id}/releases/{release_id}/artifacts' },
  UploadParts: { method: 'POST', path: '/api/sync/ota/apps/{app_id}/releases/{release_id}/artifacts/{artifact_id}/parts' },
  CompleteUpload: { method: 'POST', path: '/api/sync/ota/apps/{app_id}/releases/{release_id}/artifacts/{artifact_id}/complete' },
  GetArtifact: { method: 'GET', path: '/api/sync/ota/apps/{app_id}/releases/{release_id}/artifacts/{artifact_id}' },
  ...OPS_OPERATIONS,
} as const satisfies Record<string, { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string }>;

export type OperationId = keyof typeof OPERATIONS;

/** Request body and success answer of each operation, from the schemas its route declares. */
interface CoreOperationTypes {
  WhoAmI: { body: never; answer: z.output<typeof whoAmIAnswer> };
  ListApps: { body: never; answer: z.output<typeof s.appListAnswer> };
  CreateApp: { body: z.input<typeof s.createAppBody>; answer: z.output<typeof s.appAnswer> };
  GetApp: { body: never; answer: z.output<typeof s.appAnswer> };
  UpdateApp: { body: z.input<typeof s.updateAppBody>; answer: z.output<typeof s.appUpdateAnswer> };
  SetSlug: { body: z.input<typeof s.setSlugBody>; answer: z.output<typeof s.appAnswer> };
  ListChannels: { body: never; answer: z.output<typeof s.catalogListAnswer> };
  ListPlatforms: { body: never; answer: z.output<typeof s.catalogListAnswer> };
  ListArchs: { body: never; answer: z.output<typeof s.catalogListAnswer> };
  ListReleases: { body: never; answer: z.output<typeof s.releaseListAnswer> };
  CreateRelease: { body: z.input<typeof s.createReleaseBody>; answer: z.output<typeof s.releaseAnswer> };
  GetRelease: { body: never; answer: z.output<typeof s.releaseAnswer> };
  PublishRelease: { body: z.input<typeof s.publishReleaseBody>; answer: z.output<typeof s.releaseAnswer> };
  YankRelease: { body: never; answer: z.output<typeof s.releaseAnswer> };
  CreateArtifactUpload: { body: z.input<typeof s.createArtifactBody>; answer: z.output<typeof s.artifactUploadAnswer> };
  UploadParts: { body: z.input<typeof s.uploadPartsBody>; answer: z.output<typeof s.uploadPartsAnswer> };
  CompleteUpload: { body: z.input<typeof s.completeUploadBody>; answer: z.output<typeof s.completeUploadAnswer> };
  GetArtifact: { body: never; answer: z.output<typeof s.artifactAnswer> };
}

/** Every operation's types: the screens above and the operations screens (operations-ops.ts). */
export interface OperationTypes extends CoreOperationTypes, OpsOperationTypes {}

export type BodyOf<K extends OperationId> = OperationTypes[K]['body'];
export type AnswerOf<K extends OperationId> = OperationTypes[K]['answer'];

// Every operation has its types, and no type names an operation that is not in the table.
type Missing = Exclude<OperationId, keyof OperationTypes> | Exclude<keyof OperationTypes, OperationId>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

/** Fills `{name}` segments of a path; every one must be given. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`Missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
}
