/**
 * In-memory fakes of the repositories and the bucket, with the rules the services rely on
 * (version uniqueness, optimistic release updates, one artifact per slot, conditional settles),
 * so the release, artifact, faynoSync and Koolbase services run as in production without an
 * emulator. Each fake implements just the methods the services call.
 */
import assert from 'node:assert/strict';
import { builtinEntries, type CatalogEntry, type CatalogKind } from '../../shared/domain/catalog.js';
import type { DevicePin } from '../../shared/domain/device-pin.js';
import { Conflict } from '../../shared/domain/errors.js';
import { newId } from '../../shared/domain/ids.js';
import type { App, Artifact, Release } from '../../shared/domain/model.js';
import { versionIdentity } from '../../shared/domain/version.js';
import type { VersionData } from '../../shared/faces/faynosync/upload-wire.js';
import { FaynoVersions, type IncomingFile } from '../../shared/faces/faynosync/versions.js';
import { ArtifactService, type ArtifactServiceReleases, type ArtifactServiceStore } from '../../shared/services/artifact-service.js';
import type { DeletionService } from '../../shared/services/deletion-service.js';
import { FeedChanges } from '../../shared/services/feed-changes.js';
import { ReleaseService, type ReleaseServiceReleases } from '../../shared/services/release-service.js';
import { ReleaseUploads } from '../../shared/services/release-uploads.js';
import { type ArtifactStore, measureStream } from '../../shared/storage/artifact-store.js';
import type { CatalogRepository, OwnerCatalog } from '../../shared/storage/catalog-repository.js';
import type { SdkKeyRecord } from '../../shared/storage/koolbase-keys.js';
import { EMPTY_STATE, type KoolbaseRepository, type KoolbaseState, type SdkKey } from '../../shared/storage/koolbase-repository.js';
import type { ReleaseRepository } from '../../shared/storage/release-repository.js';

export const OWNER = 'O';
export const T0 = '2026-01-01T00:00:00.000Z';

/** An app of the owner with a minted id (ingest reads ids back from staging keys). */
export function newApp(name = 'App', extra: Partial<App> = {}): App {
  return { id: newId(), name, ownerId: OWNER, defaultChannelId: 'stable', createdAt: T0, updatedAt: T0, ...extra };
}

export const ownerCaller = { ownerId: OWNER, userId: 'U1', username: 'owner', kind: 'owner' as const };

/** The owner's catalog: the built-in entries plus whatever is created, names unique per kind. */
export class FakeCatalogs implements Pick<CatalogRepository, 'ensureOwner' | 'findByName' | 'get' | 'all' | 'create' | 'ownerName'> {
  entries: CatalogEntry[] = builtinEntries(OWNER, T0);
  owner: string | undefined = 'alice';

  async ensureOwner() {}
  async ownerName() {
    return this.owner;
  }
  async findByName(_o: string, kind: CatalogKind, name: string) {
    return this.entries.find((e) => e.kind === kind && e.name === name);
  }
  async get(_o: string, kind: CatalogKind, id: string) {
    return this.entries.find((e) => e.kind === kind && e.id === id);
  }
  async all(): Promise<OwnerCatalog> {
    return {
      channels: this.entries.flatMap((e) => (e.kind === 'channel' ? [e] : [])),
      platforms: this.entries.flatMap((e) => (e.kind === 'platform' ? [e] : [])),
      archs: this.entries.flatMap((e) => (e.kind === 'arch' ? [e] : [])),
    };
  }
  async create(entry: CatalogEntry) {
    if (this.entries.some((e) => e.kind === entry.kind && e.name === entry.name)) {
      throw new Conflict(`A ${entry.kind} named "${entry.name}" already exists`, `${entry.kind}_name_taken`);
    }
    this.entries.push(entry);
  }
  /** Adds an entry the owner created through an API (`explicit`, so faynoSync requires naming one). */
  add(kind: 'channel' | 'platform' | 'arch', name: string): CatalogEntry {
    const base = { id: newId(), ownerId: OWNER, name, builtin: false, explicit: true, refs: 0, createdAt: T0, updatedAt: T0 };
    const entry: CatalogEntry =
      kind === 'channel'
        ? { ...base, kind, follows: [], allowPrerelease: true }
        : kind === 'platform'
          ? { ...base, kind, updaters: [{ type: 'manual', default: true }] }
          : { ...base, kind };
    this.entries.push(entry);
    return entry;
  }
}

type ReleaseMethods = ReleaseServiceReleases &
  ArtifactServiceReleases &
  Pick<ReleaseRepository, 'deleteArtifact' | 'deleteRelease' | 'collection' | 'getWithArtifacts'>;

/** Releases and artifacts of every app, with the repository's conditional writes. */
export class FakeReleases implements ReleaseMethods {
  releases = new Map<string, Release>();
  artifacts = new Map<string, Artifact>();
  pins = new Map<string, DevicePin>();

  async putPin(pin: DevicePin) {
    this.pins.set(`${pin.appId}/${pin.hash}`, pin);
  }
  async deletePin(appId: string, hash: string) {
    return this.pins.delete(`${appId}/${hash}`);
  }
  async create(release: Release) {
    const identity = versionIdentity(release.version);
    if ([...this.releases.values()].some((r) => r.appId === release.appId && versionIdentity(r.version) === identity)) {
      throw new Conflict(`Version ${identity} already exists in this app`, 'version_exists');
    }
    this.releases.set(release.id, release);
  }
  async get(appId: string, id: string) {
    const release = this.releases.get(id);
    return release?.appId === appId ? release : undefined;
  }
  /** The release-id lookup item (every release here is one of the owner's own). */
  async appOfRelease(_ownerId: string, id: string) {
    return this.releases.get(id)?.appId;
  }
  async collection(appId: string) {
    return {
      releases: [...this.releases.values()].filter((r) => r.appId === appId),
      artifacts: [...this.artifacts.values()].filter((a) => a.appId === appId),
      pins: [...this.pins.values()].filter((p) => p.appId === appId),
      keys: [],
    };
  }
  async getWithArtifacts(appId: string, id: string) {
    const release = await this.get(appId, id);
    return release && { release, artifacts: [...this.artifacts.values()].filter((a) => a.releaseId === id) };
  }
  async update(previous: Release, next: Release) {
    if (JSON.stringify(this.releases.get(previous.id)) !== JSON.stringify(previous)) {
      throw new Conflict('The release changed meanwhile; try again');
    }
    this.releases.set(next.id, next);
  }
  async updateAll(changes: readonly { previous: Release; next: Release }[]) {
    for (const { previous } of changes)
      if (JSON.stringify(this.releases.get(previous.id)) !== JSON.stringify(previous))
        throw new Conflict('The release changed meanwhile; try again');
    for (const { next } of changes) this.releases.set(next.id, next);
  }
  async deleteRelease(release: Release) {
    this.releases.delete(release.id);
  }
  async slotHolder(_a: string, releaseId: string, platformId: string, archId: string, pkg: string, deltaFrom?: string) {
    return [...this.artifacts.values()].find(
      (a) =>
        a.releaseId === releaseId && a.platformId === platformId && a.archId === archId && a.package === pkg && a.deltaFrom === deltaFrom,
    )?.id;
  }
  async getArtifact(_a: string, releaseId: string, id: string) {
    const artifact = this.artifacts.get(id);
    return artifact?.releaseId === releaseId ? artifact : undefined;
  }
  async createArtifact(artifact: Artifact) {
    this.artifacts.set(artifact.id, artifact);
  }
  async startAttempt(artifact: Artifact, attemptId: string, uploadExpiresAt: string, declared: Partial<Artifact>) {
    const current = this.artifacts.get(artifact.id);
    if (!current || current.status === 'ready') throw new Conflict('This artifact is already verified (delete it to replace it)');
    const { reason: _reason, ...rest } = current;
    this.artifacts.set(artifact.id, { ...rest, ...declared, status: 'pending', attemptId, uploadExpiresAt });
  }
  async markReady(artifact: Artifact, attemptId: string, verified: Parameters<ArtifactServiceReleases['markReady']>[2]) {
    const current = this.artifacts.get(artifact.id);
    if (current?.status !== 'pending' || current.attemptId !== attemptId) return false;
    this.artifacts.set(artifact.id, { ...current, status: 'ready', ...verified });
    return true;
  }
  async markUnusable(artifact: Artifact, attemptId: string, status: 'rejected' | 'failed', reason: string) {
    const current = this.artifacts.get(artifact.id);
    if (current?.status !== 'pending' || current.attemptId !== attemptId) return false;
    this.artifacts.set(artifact.id, { ...current, status, reason });
    return true;
  }
  async deleteArtifact(artifact: Artifact, _ownerId: string, unverifiedAttempt?: string) {
    const current = this.artifacts.get(artifact.id);
    if (!current) return false;
    if (unverifiedAttempt && (current.attemptId !== unverifiedAttempt || current.status === 'ready')) return false;
    this.artifacts.delete(artifact.id);
    return true;
  }
}

/** A bucket: objects by key, uploads put straight in (no presigned PUT needed in memory). */
export class FakeStore implements ArtifactServiceStore, Pick<ArtifactStore, 'presignDownload'> {
  objects = new Map<string, Buffer>();
  async presignUpload(key: string) {
    return `https://bucket.example/${key}?put`;
  }
  async presignDownload(key: string) {
    return `https://bucket.example/${key}?get`;
  }
  async put(key: string, bytes: Uint8Array) {
    this.objects.set(key, Buffer.from(bytes));
    return { size: bytes.byteLength };
  }
  async deleteVersion(key: string) {
    this.objects.delete(key);
  }
  async head(key: string) {
    const body = this.objects.get(key);
    return body && { size: body.length };
  }
  async measure(key: string) {
    return measureStream([this.objects.get(key) ?? Buffer.alloc(0)]);
  }
  async copy(from: string, _v: string | undefined, to: string) {
    this.objects.set(to, this.objects.get(from) as Buffer);
    return {};
  }
  async startMultipart(): Promise<string> {
    throw new Error('multipart is not used here');
  }
  async presignPart(): Promise<string> {
    throw new Error('multipart is not used here');
  }
  async uploadedParts(): Promise<never[]> {
    throw new Error('multipart is not used here');
  }
  async completeMultipart() {
    throw new Error('multipart is not used here');
  }
  async abortMultipart() {
    throw new Error('multipart is not used here');
  }
}

/**
 * The release and artifact services over the fakes, a publisher that records which apps were
 * rebuilt (through the unit of work's collector), and deletes as DeletionService does them (records, then a rebuild before the bytes go). The clock ticks a
 * second per reading, so upload order is creation order.
 */
export function releaseWorld(apps: App[]) {
  let tick = 0;
  const now = () => new Date(Date.parse(T0) + 1000 * tick++);
  const catalogs = new FakeCatalogs();
  const releases = new FakeReleases();
  const store = new FakeStore();
  const republished: string[] = [];
  const publisher = { republish: async (appId: string) => void republished.push(appId) };
  // The services mark changes; inside a unit of work (unitOfWork) each app is rebuilt once at its end.
  const changes = new FeedChanges(publisher);
  const appsById = { get: async (id: string) => apps.find((a) => a.id === id) };
  const releaseService = new ReleaseService(catalogs, releases, changes, now);
  const artifactService = new ArtifactService(catalogs, appsById, releases, store, changes, () => {}, now);
  const deletion: Pick<DeletionService, 'deleteRelease' | 'deleteArtifact' | 'discardRefused'> = {
    async deleteRelease(app, releaseId) {
      const found = await releases.getWithArtifacts(app.id, releaseId);
      assert.ok(found, `release ${releaseId} exists`);
      for (const artifact of found.artifacts) await releases.deleteArtifact(artifact, app.ownerId);
      await releases.deleteRelease(found.release);
      await changes.republish(app.id);
      await changes.flush();
    },
    async deleteArtifact(app, releaseId, artifactId) {
      const artifact = await releases.getArtifact(app.id, releaseId, artifactId);
      assert.ok(artifact, `artifact ${artifactId} exists`);
      await releases.deleteArtifact(artifact, app.ownerId);
      await changes.republish(app.id);
      await changes.flush();
    },
    async discardRefused(app, artifact) {
      if (!(await releases.deleteArtifact(artifact, app.ownerId, artifact.attemptId))) return;
      await changes.republish(app.id);
      await changes.flush();
    },
  };
  const uploads = new ReleaseUploads(releaseService, artifactService, deletion);
  return { catalogs, releases, store, republished, publisher, changes, releaseService, artifactService, uploads, deletion, now };
}

/**
 * The project state, its per-channel counters and the SDK key items, with the repository's rules:
 * a save names the revision it read, and rewrites every key's item (what the check reads: the
 * active bundles it may see) and deletes the items of keys that are gone.
 */
export class FakeKoolbase implements Pick<KoolbaseRepository, 'state' | 'save' | 'nextBundleNumber'> {
  current: KoolbaseState = EMPTY_STATE;
  counters = new Map<string, number>();
  items = new Map<string, SdkKeyRecord>();

  async state() {
    return this.current;
  }
  async save(appId: string, previous: KoolbaseState, next: KoolbaseState) {
    if (previous.rev !== this.current.rev) throw new Conflict('The project changed meanwhile; try again');
    this.current = { ...next, rev: previous.rev + 1 };
    for (const key of previous.keys) if (!next.keys.some((k) => k.hash === key.hash)) this.items.delete(key.hash);
    for (const key of next.keys) this.items.set(key.hash, itemOf(appId, key, next));
  }
  async nextBundleNumber(_appId: string, channel: string) {
    const n = (this.counters.get(channel) ?? 0) + 1;
    this.counters.set(channel, n);
    return n;
  }
}

function itemOf(appId: string, key: SdkKey, state: KoolbaseState): SdkKeyRecord {
  const limited = key.channel !== undefined ? state.active[key.channel] : undefined;
  return {
    appId,
    ...(key.channel !== undefined ? { channel: key.channel } : {}),
    bundles: key.channel === undefined ? state.active : limited ? { [key.channel]: limited } : {},
    ...(key.expiresAt !== undefined ? { expiresAt: key.expiresAt } : {}),
  };
}

/** faynoSync's `data` with its defaults (absent flags are false, absent strings empty). */
export function faynoData(fields: Partial<VersionData> = {}): VersionData {
  return {
    id: '',
    appName: 'App',
    version: '1.0.0',
    channel: '',
    platform: '',
    arch: '',
    publish: false,
    critical: false,
    intermediate: false,
    changelog: '',
    updater: '',
    signature: '',
    ...fields,
  };
}

/** A file uploaded in the request body. */
export function faynoFile(name: string, content = `bytes of ${name}`): IncomingFile {
  const bytes = Buffer.from(content);
  return { name, bytes, size: bytes.length };
}

/** faynoSync's versions service over a release world's fakes: the apps by name, the catalog, the one release path. */
export function faynoVersionsOver(
  apps: App[],
  world: ReturnType<typeof releaseWorld>,
  baseUrl = 'https://updates.example.com',
): FaynoVersions {
  return new FaynoVersions(
    {
      list: async () => apps.map((a) => ({ app: a, defaultChannel: 'stable' })),
      idByName: async (_caller, name) => apps.find((a) => a.name === name)?.id,
    },
    { all: async () => world.catalogs.all() },
    world.releaseService,
    world.uploads,
    world.deletion,
    world.store,
    baseUrl,
  );
}
