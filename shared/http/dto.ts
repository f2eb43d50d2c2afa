import type { CatalogEntry } from '../domain/catalog.js';
import type { Job } from '../domain/job.js';
import type { App, Artifact, HaltRule, Release } from '../domain/model.js';
import { API_PREFIX } from '../domain/public-paths.js';
import { canonicalOf } from '../domain/targets.js';
import type { MultipartSlot } from '../services/artifact-service.js';
import type { PinView } from '../services/device-pin-service.js';
import type { ReleaseView } from '../services/release-service.js';

/** Wire shapes of the management API (snake_case, as in the SyncKit documentation). */

/** Where a job's status is read (relative to the API's origin, as `Location` names it). */
export function jobStatusPath(jobId: string): string {
  return `${API_PREFIX}/jobs/${jobId}`;
}

export function jobDto(job: Job) {
  return {
    id: job.id,
    kind: job.input.kind,
    state: job.state,
    progress: { done: job.done, total: job.total },
    error: job.error ?? null,
    app_id: job.input.kind === 'app-privacy' ? job.input.appId : null,
    status_url: jobStatusPath(job.id),
    created_at: job.createdAt,
    updated_at: job.updatedAt,
  };
}

export function appDto(app: App, defaultChannel: string) {
  return {
    id: app.id,
    name: app.name,
    slug: app.slug ?? null,
    default_channel: defaultChannel,
    tauri_pubkey: app.tauriPublicKey ?? null,
    private: app.private === true,
    created_at: app.createdAt,
    updated_at: app.updatedAt,
  };
}

export function catalogDto(entry: CatalogEntry, channelNames?: Map<string, string>) {
  return {
    id: entry.id,
    name: entry.name,
    builtin: entry.builtin,
    in_use: entry.refs > 0,
    ...(entry.kind === 'channel'
      ? { follows: entry.follows.map((id) => channelNames?.get(id) ?? id), allow_prerelease: entry.allowPrerelease }
      : {}),
    ...(entry.kind === 'platform' ? { updaters: entry.updaters } : {}),
    // What clients address it as: declared, or what its name means (targets.ts); null for a target of its own.
    ...(entry.kind !== 'channel' ? { canonical: canonicalOf(entry) ?? null } : {}),
    created_at: entry.createdAt,
    updated_at: entry.updatedAt,
  };
}

/**
 * A release as the API shows it. The SyncKit fields come first and keep their meaning; the
 * release model's fields follow. One lifecycle field, `status` (draft, published, yanked: what the
 * search filters on); `scheduled` says a published release's `publish_at` has not come yet, so it
 * is not offered. (0.1.0 also answered an undocumented `state` that folded the two; it is gone.)
 */
export function releaseDto(view: ReleaseView, now = new Date()) {
  const r = view.release;
  const scheduled = r.status === 'published' && r.publishAt !== undefined && Date.parse(r.publishAt) > now.getTime();
  return {
    id: r.id,
    version: r.version,
    notes: r.notes,
    signature: r.signature ?? null,
    pub_date: r.pubDate,
    created_at: r.createdAt,
    channel: view.names.channel,
    promoted_to: view.names.promotedTo,
    status: r.status,
    scheduled,
    publish_at: r.publishAt ?? null,
    changelog: r.changelog,
    critical: r.critical,
    mandatory: r.critical,
    intermediate: r.intermediate,
    rollout_percent: r.rolloutPercent,
    ...haltDto(r),
    updated_at: r.updatedAt,
    artifacts: view.artifacts.map((a) =>
      artifactDto(a, view.names.platforms[a.platformId] ?? a.platformId, view.names.archs[a.archId] ?? a.archId),
    ),
  };
}

/** A multipart upload in progress, as a client sends its parts. */
export function multipartDto(slot: MultipartSlot) {
  return {
    upload_id: slot.uploadId,
    part_size: slot.partSize,
    part_count: slot.partCount,
    parts: slot.parts.map((p) => ({ part_number: p.partNumber, upload_url: p.uploadUrl })),
    uploaded: slot.uploaded?.map((p) => ({ part_number: p.partNumber, etag: p.etag, size: p.size })) ?? null,
  };
}

export function artifactDto(artifact: Artifact, platform: string, arch: string) {
  return {
    id: artifact.id,
    target: platform,
    arch,
    package: artifact.package,
    status: artifact.status,
    reason: artifact.reason ?? null,
    file_size: artifact.declaredSize,
    size: artifact.size ?? null,
    sha256: artifact.sha256 ?? null,
    sha512: artifact.sha512 ?? null,
    sha1: artifact.sha1 ?? null,
    blake2b512: artifact.blake2b512 ?? null,
    signature: artifact.signature ?? null,
    ed_signature: artifact.edSignature ?? null,
    delta_from: artifact.deltaFrom ?? null,
    upload_expires_at: artifact.status === 'pending' ? artifact.uploadExpiresAt : null,
    created_at: artifact.createdAt,
    ready_at: artifact.readyAt ?? null,
  };
}

/** A release's halt rule and, once it tripped, why (`halted`). */
export function haltDto(r: Pick<Release, 'haltRule' | 'halted'>) {
  return {
    halt_rule: r.haltRule ? { max_failure_rate: r.haltRule.maxFailureRate, min_reports: r.haltRule.minReports } : null,
    halted: r.halted ? { reason: r.halted.reason, at: r.halted.at, failure_rate: r.halted.failureRate, reports: r.halted.reports } : null,
  };
}

type WireHaltRule = { max_failure_rate: number; min_reports: number };

/** A halt rule as the wire sends it (snake_case); null removes it. */
export function haltRuleOf(wire: WireHaltRule): HaltRule;
export function haltRuleOf(wire: WireHaltRule | null): HaltRule | null;
export function haltRuleOf(wire: WireHaltRule | null): HaltRule | null {
  return wire === null ? null : { maxFailureRate: wire.max_failure_rate, minReports: wire.min_reports };
}

/** A device pin as the native API shows it (its id is the device id's hash). */
export function pinDto({ pin, channel }: PinView) {
  return {
    id: pin.hash,
    device_id: pin.deviceId,
    channel: channel ?? null,
    version: pin.version ?? null,
    note: pin.note ?? null,
    created_at: pin.createdAt,
    created_by: pin.by,
  };
}
