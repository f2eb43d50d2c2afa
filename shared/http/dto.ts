import type { App, Artifact, Release } from '../domain/model.js';

/** Wire shapes of the management API (snake_case, as in the SyncKit documentation). */
export function appDto(app: App) {
  return { id: app.id, name: app.name, slug: app.slug ?? null, created_at: app.createdAt };
}

export function releaseDto(release: Release, artifacts?: Artifact[]) {
  return {
    id: release.id,
    version: release.version,
    notes: release.notes,
    signature: release.signature ?? null,
    pub_date: release.pubDate,
    created_at: release.createdAt,
    ...(artifacts ? { artifacts: artifacts.map(artifactDto) } : {}),
  };
}

export function artifactDto(artifact: Artifact) {
  return {
    target: artifact.target,
    arch: artifact.arch,
    status: artifact.status,
    s3_key: artifact.objectKey,
    file_size: artifact.declaredSize,
    sha256: artifact.sha256 ?? null,
    signature: artifact.signature ?? null,
    ...(artifact.rejectedReason ? { rejected_reason: artifact.rejectedReason } : {}),
    created_at: artifact.createdAt,
    ready_at: artifact.readyAt ?? null,
  };
}
