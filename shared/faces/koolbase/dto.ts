/** Koolbase's response shapes (its server's JSON field names), from our domain objects. */
import type { App } from '../../domain/model.js';
import { haltedDto } from '../../http/dto.js';
import type { BundleView } from '../../services/koolbase-service.js';
import type { SdkKey } from '../../storage/koolbase-repository.js';

/** RFC 3339 in seconds, as Koolbase's Go server prints times (`2026-03-23T23:29:30Z`). */
function time(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}

/** The bundle object of the upload, list and activate answers. */
export function bundleDto(app: App, view: BundleView) {
  return {
    id: view.release.id,
    project_id: app.id,
    channel: view.channel,
    version: view.version,
    checksum: view.artifact.sha256 ? `sha256:${view.artifact.sha256}` : null,
    storage_path: view.artifact.objectKey ?? null,
    file_size: view.artifact.size ?? view.artifact.declaredSize,
    mandatory: view.release.critical,
    active: view.active,
    // Ours: a bundle whose rollout a halt rule stopped (install reports); Koolbase's clients ignore fields they do not know.
    halted: haltedDto(view.release.halted),
    release_notes: view.release.notes === '' ? null : view.release.notes,
    created_at: time(view.release.createdAt),
    updated_at: time(view.release.updatedAt),
  };
}

/** A key in lists: never the key, never its hash. A rotated key shows when it stops working and which key replaced it. */
export function keyDto(key: SdkKey) {
  return {
    id: key.id,
    prefix: key.prefix,
    channel: key.channel ?? null,
    created_at: time(key.createdAt),
    expires_at: key.expiresAt === undefined ? null : time(new Date(key.expiresAt * 1000).toISOString()),
    replaced_by: key.replacedBy ?? null,
  };
}
