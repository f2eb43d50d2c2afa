import type { Caller } from '../domain/caller.js';
import { ANY_ARCH_ID, ANY_PLATFORM_ID, type CatalogEntry, type Channel } from '../domain/catalog.js';
import { Conflict, Invalid, NotFound, TooLarge } from '../domain/errors.js';
import { isId, newId } from '../domain/ids.js';
import { apiKeyExpired, apiKeyHash, apiKeyShownPrefix, MAX_KEY_GRACE_SECONDS, newApiKey } from '../domain/koolbase-api-key.js';
import {
  type ActiveBundle,
  BUNDLE_PACKAGE,
  BUNDLE_TOO_LARGE,
  bundleNumberOf,
  DEFAULT_KOOLBASE_CHANNEL,
  MAX_BUNDLE_BYTES,
  releaseVersionOf,
  requireKoolbaseChannel,
} from '../domain/koolbase-bundle.js';
import type { App, Artifact, Release } from '../domain/model.js';
import type { CatalogRepository } from '../storage/catalog-repository.js';
import type { KoolbaseRepository, KoolbaseState, SdkKey } from '../storage/koolbase-repository.js';
import type { ReleaseRepository } from '../storage/release-repository.js';
import type { UploadSlot } from './artifact-service.js';
import type { DeletionService } from './deletion-service.js';
import type { ReleaseService } from './release-service.js';
import type { ReleaseUploads } from './release-uploads.js';

/** A bundle: a release with its one zip artifact, its Koolbase channel and version, and whether it is its channel's active one. */
export interface BundleView {
  release: Release;
  artifact: Artifact;
  channel: string;
  version: number;
  active: boolean;
}

export interface NewBundle {
  channel?: string;
  mandatory?: boolean;
  notes?: string;
}

/** A bundle whose bytes the client PUTs to `slot.uploadUrl`. */
export interface BundleUpload {
  bundle: { release: Release; channel: string; version: number };
  slot: UploadSlot;
}

/** Keys per project, rotated ones in their grace period included: each state change rewrites every key item in one transaction (100 items at most). */
export const MAX_KEYS_PER_PROJECT = 50;
const STATE_ATTEMPTS = 5;
const VERSION_ATTEMPTS = 10;

/**
 * Koolbase's OTA bundles and SDK keys on the one release model. A bundle is a release of the
 * project's app; "active" is a published release that the project's Koolbase state names for its
 * channel, and that state (copied into every SDK key item) is all the check reads.
 */
export class KoolbaseService {
  constructor(
    private readonly catalogs: Pick<CatalogRepository, 'ensureOwner' | 'findByName' | 'create' | 'all'>,
    private readonly releaseRecords: Pick<ReleaseRepository, 'collection' | 'getWithArtifacts'>,
    private readonly releases: Pick<ReleaseService, 'create' | 'publish' | 'yank' | 'update'>,
    private readonly uploads: Pick<ReleaseUploads, 'storeOrDiscard' | 'requestUpload' | 'confirm'>,
    private readonly deletion: Pick<DeletionService, 'deleteRelease'>,
    private readonly koolbase: Pick<KoolbaseRepository, 'state' | 'save' | 'nextBundleNumber'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A bundle uploaded in the request body: stored, verified by ingest, answered as a draft (not active). */
  async upload(caller: Caller, app: App, input: NewBundle & { bytes: Uint8Array }): Promise<BundleView> {
    if (input.bytes.byteLength > MAX_BUNDLE_BYTES) throw new TooLarge(BUNDLE_TOO_LARGE);
    if (input.bytes.byteLength === 0) throw new Invalid('bundle is empty');
    const { release, channel, version } = await this.newBundleRelease(app, input);
    // A refused bundle takes its release with it: the client gets the reason (Koolbase words it "bundle rejected").
    const artifact = await this.uploads.storeOrDiscard(
      caller,
      app,
      release.id,
      { file: 'bundle', target: ANY_PLATFORM_ID, arch: ANY_ARCH_ID, package: BUNDLE_PACKAGE, bytes: input.bytes },
      'release',
    );
    return { release, artifact, channel, version, active: false };
  }

  /** The presigned path for bundles too large for one request: a draft bundle and a PUT URL for its bytes. */
  async requestUpload(caller: Caller, app: App, input: NewBundle & { fileSize: number; sha256?: string }): Promise<BundleUpload> {
    if (input.fileSize > MAX_BUNDLE_BYTES) throw new TooLarge(BUNDLE_TOO_LARGE);
    const bundle = await this.newBundleRelease(app, input);
    const slot = await this.uploads.requestUpload(caller, app, bundle.release.id, {
      target: ANY_PLATFORM_ID,
      arch: ANY_ARCH_ID,
      package: BUNDLE_PACKAGE,
      fileSize: input.fileSize,
      ...(input.sha256 ? { sha256: input.sha256 } : {}),
    });
    return { bundle, slot };
  }

  /**
   * The bundle once ingest verified the PUT (the one upload confirmation): 409 `upload_pending`
   * while it has not (not uploaded yet, or being verified), 400 `upload_refused` when refused
   * (the bundle is deleted).
   */
  async completeUpload(app: App, bundleId: string): Promise<BundleView> {
    const bundle = await this.bundle(app, bundleId, { ready: false });
    const { artifacts } = await this.uploads.confirm(app, bundle.release.id, 'release');
    return { ...bundle, artifact: artifacts[0] ?? bundle.artifact };
  }

  /** Every uploaded bundle of the project, newest first. */
  async list(app: App): Promise<BundleView[]> {
    const [{ releases, artifacts }, catalog, state] = await Promise.all([
      this.releaseRecords.collection(app.id),
      this.catalogs.all(app.ownerId),
      this.koolbase.state(app.id),
    ]);
    const names = new Map(catalog.channels.map((c) => [c.id, c.name]));
    return releases
      .flatMap((release) => {
        const view = bundleView(release, artifacts, names.get(release.channelId) ?? release.channelId, state);
        return view?.artifact.status === 'ready' ? [view] : [];
      })
      .sort((a, b) => b.release.createdAt.localeCompare(a.release.createdAt) || b.release.id.localeCompare(a.release.id));
  }

  /**
   * Makes a bundle its channel's active one: its release is published, the project's state (and
   * with it every key item) names it, then every other published bundle of the channel is yanked,
   * so the release model offers exactly what the check serves.
   */
  async activate(app: App, bundleId: string): Promise<BundleView> {
    const bundle = await this.bundle(app, bundleId);
    let release = bundle.release;
    if (release.status !== 'published') release = (await this.releases.publish(app, release.id)).release;
    const active = activeBundle(release, bundle.artifact, bundle.version);
    const state = await this.mutate(app, (s) => ({ ...s, active: { ...s.active, [bundle.channel]: active } }));
    // Yank the others after the switch (the check never points at a yanked release), and never
    // the one the state names now, should a concurrent activation have won.
    const current = state.active[bundle.channel]?.releaseId;
    for (const other of await this.list(app)) {
      if (other.channel === bundle.channel && other.release.id !== current && other.release.status === 'published') {
        await this.releases.yank(app, other.release.id);
      }
    }
    return { ...bundle, release, active: current === release.id };
  }

  /** Changes a bundle's mandatory flag (the release's `critical`), in the check too when it is active. */
  async setMandatory(app: App, bundleId: string, mandatory: boolean): Promise<void> {
    const bundle = await this.bundle(app, bundleId);
    await this.releases.update(app, bundleId, { critical: mandatory });
    await this.mutate(app, (s) => {
      const active = s.active[bundle.channel];
      if (active?.releaseId !== bundleId || active.mandatory === mandatory) return s;
      return { ...s, active: { ...s.active, [bundle.channel]: { ...active, mandatory } } };
    });
  }

  /** Deletes a bundle: out of the check first, then the release with its stored object. */
  async delete(app: App, bundleId: string): Promise<void> {
    const bundle = await this.bundle(app, bundleId, { ready: false });
    await this.mutate(app, (s) => {
      if (s.active[bundle.channel]?.releaseId !== bundleId) return s;
      const { [bundle.channel]: _removed, ...rest } = s.active;
      return { ...s, active: rest };
    });
    await this.deletion.deleteRelease(app, bundleId);
  }

  /** A new SDK key (returned once; only its hash is kept), optionally limited to one channel. */
  async createKey(app: App, channel?: string): Promise<{ key: string; record: SdkKey }> {
    const key = newApiKey();
    const record: SdkKey = {
      ...this.newKeyRecord(key),
      ...(channel !== undefined ? { channel: requireKoolbaseChannel(channel) } : {}),
    };
    await this.mutate(app, (s) => {
      requireRoomForKey(s);
      return { ...s, keys: [...s.keys, record] };
    });
    return { key, record };
  }

  /** The project's working keys (a rotated one until its grace period ends). */
  async listKeys(app: App): Promise<SdkKey[]> {
    const now = this.now().getTime();
    return (await this.koolbase.state(app.id)).keys.filter((k) => !apiKeyExpired(k.expiresAt, now));
  }

  /**
   * Replaces a key with a new one of the same channel limit (returned once). The old key keeps
   * working for `graceSeconds`, then the check refuses it (its item carries the end, as the table's
   * TTL attribute, so DynamoDB removes it later); with 0 it is revoked at once. A key that is
   * already being replaced is a 409, an unknown (revoked, expired) one a 404.
   */
  async rotateKey(app: App, keyId: string, graceSeconds: number): Promise<{ key: string; record: SdkKey; previous: SdkKey }> {
    if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_KEY_GRACE_SECONDS) {
      throw new Invalid(`grace_seconds must be a whole number from 0 to ${MAX_KEY_GRACE_SECONDS}`);
    }
    const key = newApiKey();
    const now = this.now();
    const fresh = this.newKeyRecord(key);
    let rotated: { record: SdkKey; previous: SdkKey } | undefined;
    await this.mutate(app, (s) => {
      const old = s.keys.find((k) => k.id === keyId);
      if (!old) throw new NotFound('api key not found');
      if (old.expiresAt !== undefined) {
        const replacement = old.replacedBy ? `; rotate its replacement ${old.replacedBy} instead` : '';
        throw new Conflict(`api key is already rotated: it stops working at ${new Date(old.expiresAt * 1000).toISOString()}${replacement}`);
      }
      const record: SdkKey = { ...fresh, ...(old.channel !== undefined ? { channel: old.channel } : {}) };
      if (graceSeconds === 0) {
        rotated = { record, previous: old };
        return { ...s, keys: [...s.keys.filter((k) => k.id !== keyId), record] };
      }
      requireRoomForKey(s);
      const expiring: SdkKey = { ...old, expiresAt: Math.ceil(now.getTime() / 1000) + graceSeconds, replacedBy: record.id };
      rotated = { record, previous: expiring };
      return { ...s, keys: [...s.keys.map((k) => (k.id === keyId ? expiring : k)), record] };
    });
    if (!rotated) throw new Error('rotation did not run');
    // No purge: the save gave every key of the project a new edge revision, so the old key's answers
    // cached before the rotation are never served again; those cached from now on last no longer than the grace.
    return { key, ...rotated };
  }

  /** Revokes a key (a rotated one too, before its grace period ends): its item is deleted and the edge marks it deleted (401 there, no purge). */
  async deleteKey(app: App, keyId: string): Promise<void> {
    await this.mutate(app, (s) => {
      if (!s.keys.some((k) => k.id === keyId)) throw new NotFound('api key not found');
      return { ...s, keys: s.keys.filter((k) => k.id !== keyId) };
    });
  }

  /** The stored part of a new key: its hash, never the key. */
  private newKeyRecord(key: string): SdkKey {
    return { id: newId(), hash: apiKeyHash(key), prefix: apiKeyShownPrefix(key), createdAt: this.now().toISOString() };
  }

  /** A draft release for bundle number n of the channel (created if missing); n from the channel's counter. */
  private async newBundleRelease(app: App, input: NewBundle): Promise<{ release: Release; channel: string; version: number }> {
    const channel = await this.channel(app.ownerId, requireKoolbaseChannel(input.channel ?? DEFAULT_KOOLBASE_CHANNEL));
    for (let attempt = 1; ; attempt++) {
      const version = await this.koolbase.nextBundleNumber(app.id, channel.name);
      try {
        const view = await this.releases.create(app, {
          version: releaseVersionOf(version, channel.name),
          channel: channel.id,
          publish: false,
          notes: input.notes ?? '',
          critical: input.mandatory ?? false,
        });
        return { release: view.release, channel: channel.name, version };
      } catch (error) {
        // A release of another face may hold this version in the app: take the next number.
        if (!(error instanceof Conflict && error.reason === 'version_exists') || attempt >= VERSION_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * The owner's catalog channel of a Koolbase channel, created on first use: isolated (follows
   * nothing), and not `explicit`, so it does not switch on faynoSync's "channel required" rule.
   */
  private async channel(ownerId: string, name: string): Promise<CatalogEntry> {
    const now = this.now().toISOString();
    await this.catalogs.ensureOwner(ownerId, now);
    const found = await this.catalogs.findByName(ownerId, 'channel', name);
    if (found) return found;
    const entry: Channel = {
      id: newId(),
      ownerId,
      kind: 'channel',
      name,
      builtin: false,
      explicit: false,
      refs: 0,
      follows: [],
      allowPrerelease: true,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.catalogs.create(entry);
      return entry;
    } catch (error) {
      // Another upload created it meanwhile.
      const again = error instanceof Conflict ? await this.catalogs.findByName(ownerId, 'channel', name) : undefined;
      if (again) return again;
      throw error;
    }
  }

  /** One bundle of the app (404 for anything else, another face's release included); by default only a verified one. */
  private async bundle(app: App, bundleId: string, options = { ready: true }): Promise<BundleView> {
    // Koolbase's server answers an id of any shape it does not know as not found; nothing is read for one that cannot be ours.
    if (!isId(bundleId)) throw new NotFound('bundle not found');
    const [found, catalog, state] = await Promise.all([
      this.releaseRecords.getWithArtifacts(app.id, bundleId),
      this.catalogs.all(app.ownerId),
      this.koolbase.state(app.id),
    ]);
    const name = found && (catalog.channels.find((c) => c.id === found.release.channelId)?.name ?? found.release.channelId);
    const view = found && name !== undefined ? bundleView(found.release, found.artifacts, name, state) : undefined;
    if (!view || (options.ready && view.artifact.status !== 'ready')) throw new NotFound('bundle not found');
    return view;
  }

  /**
   * Applies a change to the project's state (re-read and retried when another change landed first);
   * answers the saved state. Keys past their grace period leave the state (and their items) with
   * any change, so an item DynamoDB's TTL already removed is never written again.
   */
  private async mutate(app: App, change: (state: KoolbaseState) => KoolbaseState): Promise<KoolbaseState> {
    for (let attempt = 1; ; attempt++) {
      const previous = await this.koolbase.state(app.id);
      const live = withoutExpiredKeys(previous, this.now().getTime());
      const next = change(live);
      if (next === previous) return previous;
      try {
        await this.koolbase.save(app.id, previous, next);
        return { ...next, rev: previous.rev + 1 };
      } catch (error) {
        if (!(error instanceof Conflict) || attempt >= STATE_ATTEMPTS) throw error;
      }
    }
  }
}

/** A new key needs room: rotated keys count until their grace period ends. */
function requireRoomForKey(state: KoolbaseState): void {
  if (state.keys.length >= MAX_KEYS_PER_PROJECT) {
    throw new Conflict(
      `a project has at most ${MAX_KEYS_PER_PROJECT} api keys (rotated ones count until they expire); delete one first, or rotate with grace_seconds 0`,
    );
  }
}

/** The state without the keys whose grace period has ended (the same object when there are none). */
function withoutExpiredKeys(state: KoolbaseState, nowMs: number): KoolbaseState {
  const keys = state.keys.filter((k) => !apiKeyExpired(k.expiresAt, nowMs));
  return keys.length === state.keys.length ? state : { ...state, keys };
}

/** The bundle a release is, when it is one: a Koolbase version and exactly one zip artifact for any platform and arch. */
function bundleView(release: Release, artifacts: Artifact[], channel: string, state: KoolbaseState): BundleView | undefined {
  const version = bundleNumberOf(release.version);
  const own = artifacts.filter((a) => a.releaseId === release.id);
  const artifact = own[0];
  if (version === undefined || own.length !== 1 || !artifact) return undefined;
  if (artifact.platformId !== ANY_PLATFORM_ID || artifact.archId !== ANY_ARCH_ID || artifact.package !== BUNDLE_PACKAGE) return undefined;
  return { release, artifact, channel, version, active: state.active[channel]?.releaseId === release.id };
}

function activeBundle(release: Release, artifact: Artifact, version: number): ActiveBundle {
  if (!artifact.sha256 || artifact.size === undefined) throw new Error(`artifact ${artifact.id} is ready without its measurements`);
  return {
    releaseId: release.id,
    artifactId: artifact.id,
    version,
    sha256: artifact.sha256,
    size: artifact.size,
    mandatory: release.critical,
    notes: release.notes,
  };
}

/**
 * An app's delete started: its SDK keys stop working (their items go with the project state's
 * keys, and the edge marks each deleted in the same transaction). Idempotent; a project without
 * keys costs one read.
 */
export async function revokeKoolbaseKeys(koolbase: Pick<KoolbaseRepository, 'state' | 'save'>, app: App): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const previous = await koolbase.state(app.id);
    if (previous.keys.length === 0 && Object.keys(previous.active).length === 0) return;
    try {
      await koolbase.save(app.id, previous, { ...previous, keys: [], active: {} }, true);
      return;
    } catch (error) {
      if (!(error instanceof Conflict) || attempt >= STATE_ATTEMPTS) throw error;
    }
  }
}
