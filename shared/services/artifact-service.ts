import type { Caller } from '../domain/caller.js';
import type { CatalogEntry } from '../domain/catalog.js';
import { Conflict, Invalid, NotFound, shown } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { minisignProblem, parseMinisignKey } from '../domain/minisign.js';
import type { App, Artifact, Release } from '../domain/model.js';
import { defaultPackageFor, requireDeltaFrom, requirePackage } from '../domain/packages.js';
import { archTarget, platformTarget, targetOf } from '../domain/targets.js';
import { compareVersions } from '../domain/version.js';
import { objectFileName } from '../protocols/file-names.js';
import type { AppRepository } from '../storage/app-repository.js';
import {
  type ArtifactStore,
  MAX_SINGLE_COPY_BYTES as MAX_SINGLE_PUT_BYTES,
  type Measured,
  UPLOAD_URL_TTL_SECONDS,
} from '../storage/artifact-store.js';
import type { CatalogRepository } from '../storage/catalog-repository.js';
import { objectKeys } from '../storage/keys.js';
import type { ReleaseRepository } from '../storage/release-repository.js';
import type { ArtifactPrivacy } from './artifact-privacy.js';
import type { FeedPublisher } from './feed-publisher.js';

export interface UploadRequest {
  /** Platform name (Tauri's `{{target}}` for the built-in ones). */
  target: string;
  arch: string;
  /** The catalog entries `target` and `arch` name, when the caller resolved them already (not looked up again). */
  entries?: { platform: CatalogEntry; arch: CatalogEntry };
  /** Package/bundle type; default: what the Tauri updater installs on that target. */
  package?: string;
  fileSize: number;
  /** Upload in parts (resumable; required over 5 GB). */
  multipart?: boolean;
  signature?: string;
  /** Sparkle's EdDSA signature (base64), passed through to the appcast. */
  edSignature?: string;
  sha256?: string;
  /** A delta package (`delta`, `delta.nupkg`): the version it applies to (requireDeltaFrom). */
  deltaFrom?: string;
  /**
   * The same request publishes the release again once its files are verified (faynoSync's
   * `/apps/update` with `publish: true`, which needs the permission to publish): a yanked release
   * then takes the file. Without it a yanked release takes none.
   */
  republishing?: boolean;
}

export interface UploadSlot {
  artifact: Artifact;
  /** A single presigned PUT (absent for a multipart upload). */
  uploadUrl?: string;
  multipart?: MultipartSlot;
  objectKey: string;
  expiresAt: string;
}

/** The answer to an upload whose attempt a concurrent upload of the same file replaced. */
export const SUPERSEDED = 'Another upload of the same file (platform, arch and package) replaced this one while it was verified';

/** Package types the Tauri updater installs: with a registered key, these must carry a valid signature. */
const TAURI_UPDATER_PACKAGES: ReadonlySet<string> = new Set(['app', 'appimage', 'deb', 'rpm', 'msi', 'nsis']);

export type IngestOutcome = 'ready' | 'rejected' | 'ignored';

/** What the S3 event says about one uploaded object. */
export interface UploadedObject {
  key: string;
  /** The version the event is about (versioned buckets): exactly this one is verified. */
  versionId?: string;
}

/** What the artifact service reads and writes (narrow, so tests can pass in-memory fakes). */
export type ArtifactServiceReleases = Pick<
  ReleaseRepository,
  'get' | 'slotHolder' | 'getArtifact' | 'startAttempt' | 'createArtifact' | 'markReady' | 'markUnusable'
>;
export type ArtifactServiceStore = Pick<
  ArtifactStore,
  | 'presignUpload'
  | 'put'
  | 'deleteVersion'
  | 'head'
  | 'measure'
  | 'copy'
  | 'startMultipart'
  | 'presignPart'
  | 'uploadedParts'
  | 'completeMultipart'
  | 'abortMultipart'
>;

/** S3's multipart rules: at most 10,000 parts of at least 5 MiB (we use 8 MiB or more), 5 TB in all. */
const MIN_PART_BYTES = 8 * 1024 ** 2;
const MAX_PARTS = 10_000;
/** Part URLs handed out per request (the rest on request, which is also how an upload resumes). */
export const PART_URLS_PER_REQUEST = 100;

/** A multipart upload in progress: what a client needs to send its parts. */
export interface MultipartSlot {
  uploadId: string;
  partSize: number;
  partCount: number;
  /** Presigned PUTs for the requested parts. */
  parts: { partNumber: number; uploadUrl: string }[];
  /** Parts S3 already has (to resume); null where the store cannot list them. */
  uploaded: { partNumber: number; etag: string; size: number }[] | null;
}

/** The part size of a multipart upload of `size` bytes: 8 MiB, or larger so that 10,000 parts hold it (whole MiB). */
export function partSizeFor(size: number): number {
  const mib = 1024 ** 2;
  return Math.max(MIN_PART_BYTES, Math.ceil(size / MAX_PARTS / mib) * mib);
}

/** Upload slots for artifacts, their state, and the verification that turns an upload into an offer. */
export class ArtifactService {
  constructor(
    private readonly catalogs: Pick<CatalogRepository, 'findByName'>,
    private readonly apps: Pick<AppRepository, 'get'>,
    private readonly releases: ArtifactServiceReleases,
    private readonly store: ArtifactServiceStore,
    private readonly publisher: Pick<FeedPublisher, 'republish'>,
    private readonly log: (outcome: string, detail: Record<string, unknown>) => void = () => {},
    private readonly now: () => Date = () => new Date(),
    /** Tags a private app's newly verified object so the public edge path cannot serve it. */
    private readonly privacy: Pick<ArtifactPrivacy, 'protectNew'> = { protectNew: async () => {} },
  ) {}

  /**
   * Declares an artifact (or starts a new upload attempt for one not verified yet) and returns a
   * presigned PUT into the staging prefix. Only an upload made with the latest attempt's URL can
   * become the artifact; the signed content-length makes S3 refuse any other size.
   */
  /** A catalog entry by name, else by the canonical name its word means (a built-in's name is its target). */
  private async findEntry(ownerId: string, kind: 'platform' | 'arch', word: string, target: string) {
    const named = await this.catalogs.findByName(ownerId, kind, word);
    return named ?? (target !== word ? this.catalogs.findByName(ownerId, kind, target) : undefined);
  }

  async requestUpload(_caller: Caller, app: App, releaseId: string, input: UploadRequest): Promise<UploadSlot> {
    // An entry of that name, else the built-in its word means (`amd64` → x86_64, targets.ts).
    const platform = input.entries?.platform ?? (await this.findEntry(app.ownerId, 'platform', input.target, platformTarget(input.target)));
    if (platform?.kind !== 'platform') throw new Invalid(`target: no platform ${shown(input.target)}; create it first`);
    const arch = input.entries?.arch ?? (await this.findEntry(app.ownerId, 'arch', input.arch, archTarget(input.arch)));
    if (!arch) throw new Invalid(`arch: no architecture ${shown(input.arch)}; create it first`);
    const pkg = requirePackage(input.package ?? defaultPackageFor(targetOf(platform)));
    requireDeltaFrom(pkg, input.deltaFrom);
    const release = await this.releases.get(app.id, releaseId);
    if (!release) throw new NotFound(`Release ${shown(releaseId)} not found`);
    // A file added to a published release is offered as soon as it is verified. That is uploading,
    // not publishing: whoever may upload may also create a release published at once (docs/teams-and-tokens.md, "Publishing").
    if (release.status === 'yanked' && !input.republishing) {
      throw new Conflict('The release is yanked; publish it again before adding artifacts');
    }

    const now = this.now();
    const attemptId = newId();
    const expiresAt = new Date(now.getTime() + UPLOAD_URL_TTL_SECONDS * 1000).toISOString();
    const declared = {
      declaredSize: input.fileSize,
      ...(input.sha256 ? { declaredSha256: input.sha256 } : {}),
      ...(input.signature ? { signature: input.signature } : {}),
      ...(input.edSignature ? { edSignature: input.edSignature } : {}),
    };
    if (input.deltaFrom !== undefined && compareVersions(input.deltaFrom, release.version) >= 0)
      throw new Invalid(`delta_from ${shown(input.deltaFrom)} must be older than the release's version ${release.version}`);
    const holder = await this.releases.slotHolder(app.id, release.id, platform.id, arch.id, pkg, input.deltaFrom);
    let artifact: Artifact;
    if (holder) {
      const existing = await this.releases.getArtifact(app.id, release.id, holder);
      if (!existing) throw new Conflict('The artifact is being deleted; try again');
      await this.releases.startAttempt(existing, attemptId, expiresAt, declared);
      const { reason: _reason, ...rest } = existing;
      artifact = { ...rest, ...declared, status: 'pending', attemptId, uploadExpiresAt: expiresAt };
    } else {
      artifact = {
        id: newId(),
        appId: app.id,
        releaseId: release.id,
        platformId: platform.id,
        archId: arch.id,
        package: pkg,
        ...(input.deltaFrom !== undefined ? { deltaFrom: input.deltaFrom } : {}),
        ...declared,
        status: 'pending',
        attemptId,
        uploadExpiresAt: expiresAt,
        createdAt: now.toISOString(),
      };
      await this.releases.createArtifact(artifact, app.ownerId);
    }
    const objectKey = objectKeys.staging(app.id, release.id, artifact.id, attemptId);
    if (input.multipart) {
      const uploadId = await this.store.startMultipart(objectKey);
      const firstParts = Array.from({ length: Math.min(PART_URLS_PER_REQUEST, partCountOf(input.fileSize)) }, (_, i) => i + 1);
      return { artifact, multipart: await this.partUrls(objectKey, uploadId, input.fileSize, firstParts, []), objectKey, expiresAt };
    }
    if (input.fileSize > MAX_SINGLE_PUT_BYTES) throw new Invalid(`file_size over ${MAX_SINGLE_PUT_BYTES} bytes needs "multipart": true`);
    return { artifact, uploadUrl: await this.store.presignUpload(objectKey, input.fileSize), objectKey, expiresAt };
  }

  /**
   * An upload that came in the request body (faynoSync's `/upload`, Koolbase's bundle upload): the
   * bytes go to a staging key of a new attempt exactly as a presigned PUT would put them, and are
   * verified at once by the same ingest the S3 event runs (which then finds the work done). Answers
   * the artifact as ingest left it: `ready`, or `rejected` with the reason.
   */
  async uploadBytes(
    caller: Caller,
    app: App,
    releaseId: string,
    input: Omit<UploadRequest, 'fileSize' | 'multipart' | 'sha256'> & { bytes: Uint8Array },
  ): Promise<Artifact> {
    const { bytes, ...request } = input;
    const slot = await this.requestUpload(caller, app, releaseId, { ...request, fileSize: bytes.byteLength });
    const stored = await this.store.put(slot.objectKey, bytes);
    try {
      await this.ingest({ key: slot.objectKey, ...(stored.versionId ? { versionId: stored.versionId } : {}) });
    } catch (error) {
      // The S3 event's ingest of the same object may run at the same time and win: it settles the
      // artifact before it deletes the staged object, so a settled artifact means the work is done.
      const settled = await this.releases.getArtifact(app.id, releaseId, slot.artifact.id);
      if (settled && settled.attemptId === slot.artifact.attemptId && settled.status === 'pending') throw error;
    }
    const artifact = await this.releases.getArtifact(app.id, releaseId, slot.artifact.id);
    if (!artifact) throw new Conflict('The artifact was deleted while it was being uploaded');
    // Another upload of the same file started a newer attempt meanwhile: that one decides what ships.
    if (artifact.attemptId !== slot.artifact.attemptId) throw new Conflict(SUPERSEDED);
    return artifact;
  }

  /** Fresh URLs for parts of a multipart upload (more parts, or expired ones), and the parts S3 already has. */
  async multipartParts(app: App, releaseId: string, artifactId: string, uploadId: string, partNumbers: number[]): Promise<MultipartSlot> {
    const { key, artifact } = await this.currentUpload(app, releaseId, artifactId);
    const count = partCountOf(artifact.declaredSize);
    const bad = partNumbers.find((n) => n < 1 || n > count);
    if (bad !== undefined) throw new Invalid(`part ${bad} is outside 1-${count}`);
    return this.partUrls(key, uploadId, artifact.declaredSize, partNumbers, (await this.store.uploadedParts(key, uploadId)) ?? null);
  }

  /** Completes a multipart upload (with the parts S3 has, when none are listed); ingest then verifies it. */
  async completeMultipart(
    app: App,
    releaseId: string,
    artifactId: string,
    uploadId: string,
    parts?: { partNumber: number; etag: string }[],
  ): Promise<void> {
    const { key } = await this.currentUpload(app, releaseId, artifactId);
    const listed = parts ?? (await this.store.uploadedParts(key, uploadId));
    if (!listed) throw new Invalid('List the parts with their ETags: this store cannot list uploaded parts');
    if (listed.length === 0) throw new Conflict('No part has been uploaded');
    await this.store.completeMultipart(
      key,
      uploadId,
      [...listed].sort((a, b) => a.partNumber - b.partNumber),
    );
  }

  async abortMultipart(app: App, releaseId: string, artifactId: string, uploadId: string): Promise<void> {
    const { key } = await this.currentUpload(app, releaseId, artifactId);
    await this.store.abortMultipart(key, uploadId);
  }

  /** The staging key of an artifact's current upload attempt; 409 once it is verified. */
  private async currentUpload(app: App, releaseId: string, artifactId: string): Promise<{ key: string; artifact: Artifact }> {
    const artifact = await this.releases.getArtifact(app.id, releaseId, artifactId);
    if (!artifact) throw new NotFound(`Artifact ${shown(artifactId)} not found`);
    if (artifact.status !== 'pending') throw new Conflict(`The artifact is ${artifact.status}; request a new upload`);
    return { key: objectKeys.staging(app.id, releaseId, artifact.id, artifact.attemptId), artifact };
  }

  private async partUrls(
    key: string,
    uploadId: string,
    size: number,
    partNumbers: number[],
    uploaded: MultipartSlot['uploaded'],
  ): Promise<MultipartSlot> {
    const partSize = partSizeFor(size);
    const partCount = partCountOf(size);
    const parts = await Promise.all(
      partNumbers.slice(0, PART_URLS_PER_REQUEST).map(async (partNumber) => ({
        partNumber,
        uploadUrl: await this.store.presignPart(
          key,
          uploadId,
          partNumber,
          partNumber < partCount ? partSize : size - partSize * (partCount - 1),
        ),
      })),
    );
    return { uploadId, partSize, partCount, parts, uploaded };
  }

  /**
   * Verifies one uploaded object version against its artifact (size declared when the URL was
   * issued, and the SHA-256 when one was declared), copies exactly that version to a key no upload
   * URL can reach, pins the copy's version, and publishes. Idempotent: a redelivered event
   * finishes the publishing a failed run left undone; an upload of an older attempt or a second
   * upload with a still-valid URL never changes what ships.
   */
  async ingest(object: UploadedObject): Promise<IngestOutcome> {
    const parsed = objectKeys.parseStaging(object.key);
    if (!parsed) return this.outcome('ignored', object, 'not a staging key');
    const artifact = await this.releases.getArtifact(parsed.appId, parsed.releaseId, parsed.artifactId);
    if (!artifact) {
      // No artifact (deleted meanwhile, or an upload nobody asked for): keep nothing.
      await this.store.deleteVersion(object.key, object.versionId);
      return this.outcome('ignored', object, 'no such artifact; upload deleted');
    }
    if (artifact.status === 'ready') {
      if (artifact.attemptId === parsed.attemptId) {
        // A retry after the artifact was marked ready: make sure it was tagged and the feeds were published.
        if (artifact.objectKey) await this.privacy.protectNew(artifact.appId, artifact.objectKey, artifact.objectVersionId);
        await this.publisher.republish(artifact.appId);
      }
      await this.store.deleteVersion(object.key, object.versionId);
      return this.outcome('ignored', object, 'artifact already verified');
    }
    if (artifact.status !== 'pending' || artifact.attemptId !== parsed.attemptId) {
      await this.store.deleteVersion(object.key, object.versionId);
      return this.outcome('ignored', object, `upload of a superseded attempt (artifact ${artifact.status})`);
    }

    const head = await this.store.head(object.key, object.versionId);
    if (!head) return this.outcome('ignored', object, 'object vanished before verification');
    let problem: string | undefined;
    let measured: Measured | undefined;
    // Read once for the signature check and the verified object's file name.
    let context: { app: App | undefined; release: Release | undefined } = { app: undefined, release: undefined };
    if (head.size !== artifact.declaredSize) {
      problem = `uploaded ${head.size} bytes, declared ${artifact.declaredSize}`;
    } else {
      measured = await this.store.measure(object.key, object.versionId);
      if (measured.size !== artifact.declaredSize) problem = `read ${measured.size} bytes, declared ${artifact.declaredSize}`;
      else if (artifact.declaredSha256 && artifact.declaredSha256 !== measured.sha256) {
        problem = `SHA-256 ${measured.sha256} does not match the declared ${artifact.declaredSha256}`;
      } else {
        const [app, release] = await Promise.all([this.apps.get(artifact.appId), this.releases.get(artifact.appId, artifact.releaseId)]);
        context = { app, release };
        problem = signatureProblem(artifact, measured, app, release);
      }
    }
    if (problem || !measured) {
      const reason = problem ?? 'not measured';
      if (await this.releases.markUnusable(artifact, parsed.attemptId, 'rejected', reason)) {
        await this.store.deleteVersion(object.key, object.versionId);
      }
      return this.outcome('rejected', object, reason);
    }
    const target = objectKeys.artifact(parsed.appId, parsed.releaseId, parsed.artifactId, parsed.attemptId, measured.sha256);
    // The target's key names the attempt and the hash, so an object already there is these bytes,
    // copied by a concurrent ingest of the same upload (the request's and the S3 event's): keep it
    // rather than write it again while it may be read.
    const copied = await this.store.head(target);
    const copy =
      copied?.size === measured.size
        ? copied
        : await this.store.copy(object.key, object.versionId, target, measured.size, objectName(artifact, context.app, context.release));
    const marked = await this.releases.markReady(artifact, parsed.attemptId, {
      objectKey: target,
      ...(copy.versionId ? { objectVersionId: copy.versionId } : {}),
      size: measured.size,
      sha256: measured.sha256,
      sha512: measured.sha512,
      sha1: measured.sha1,
      blake2b512: measured.blake2b512,
      readyAt: this.now().toISOString(),
    });
    if (!marked) return this.outcome('ignored', object, 'artifact settled concurrently');
    // Read after it is marked ready, so a privacy change that listed the app's objects before cannot miss it.
    await this.privacy.protectNew(artifact.appId, target, copy.versionId);
    await this.publisher.republish(artifact.appId);
    await this.store.deleteVersion(object.key, object.versionId);
    return this.outcome('ready', object, `sha256 ${measured.sha256}`);
  }

  /**
   * Records that verification kept failing (the ingest function's failure destination), so the
   * artifact shows `failed` with the reason instead of staying `pending` with no trace.
   */
  async recordIngestFailure(object: UploadedObject, reason: string): Promise<boolean> {
    const parsed = objectKeys.parseStaging(object.key);
    if (!parsed) return false;
    const artifact = await this.releases.getArtifact(parsed.appId, parsed.releaseId, parsed.artifactId);
    if (!artifact) return false;
    const recorded = await this.releases.markUnusable(
      artifact,
      parsed.attemptId,
      'failed',
      `verification failed: ${reason}`.slice(0, 1000),
    );
    this.log(recorded ? 'failed' : 'ignored', { key: object.key, reason });
    return recorded;
  }

  private outcome(outcome: IngestOutcome, object: UploadedObject, detail: string): IngestOutcome {
    this.log(outcome, { key: object.key, versionId: object.versionId, detail });
    return outcome;
  }
}

function partCountOf(size: number): number {
  return Math.ceil(size / partSizeFor(size));
}

/**
 * When the app registered its Tauri updater key, the artifact's signature (its own, else the
 * release's) must verify against the bytes and name the release's version if it names one.
 * Packages the Tauri updater installs must be signed; others are checked when they are.
 */
function signatureProblem(artifact: Artifact, measured: Measured, app: App | undefined, release: Release | undefined): string | undefined {
  if (!app?.tauriPublicKey) return undefined;
  if (!release) return 'the release was deleted';
  const signature = artifact.signature ?? release.signature;
  if (!signature)
    return TAURI_UPDATER_PACKAGES.has(artifact.package) ? "no signature, and the app's Tauri updater key requires one" : undefined;
  const problem = minisignProblem(
    parseMinisignKey(app.tauriPublicKey),
    signature,
    Buffer.from(measured.blake2b512, 'hex'),
    release.version,
  );
  return problem && `signature refused: ${problem}`;
}

/** The file name the verified object answers with (objectFileName): its app, version and package. */
function objectName(artifact: Artifact, app: App | undefined, release: Release | undefined): string | undefined {
  return release ? objectFileName(app?.slug ?? app?.name ?? 'update', release.version, artifact.package, artifact.deltaFrom) : undefined;
}
