import { compareVersions, isNewer } from './version.js';

/** One verified file a feed can offer. */
export interface FeedFile {
  artifactId: string;
  package: string;
  key: string;
  versionId?: string;
  size: number;
  sha256: string;
  /** Base64, as electron-updater reads it. */
  sha512: string;
  /** Tauri's minisign signature (base64 of the .sig file). */
  signature?: string;
  /** Sparkle's EdDSA signature, passed through from the upload. */
  edSignature?: string;
  /** SHA-1 (hex), kept for NuGet packages only: Squirrel.Windows' RELEASES lists it. */
  sha1?: string;
  /** The file's own arch when it differs from the feed's: a universal build offered where a release has no build of that arch. */
  arch?: string;
  /** A delta package (in `FeedRelease.deltas`): the version it turns into this release. */
  deltaFrom?: string;
}

/** A release as a feed needs it. `rollout` and `publishAt` are only present when they restrict it. */
export interface FeedRelease {
  id: string;
  version: string;
  pubDate: string;
  /** Release notes, else the changelog, cut to LIMITS.notesChars (feed-builder.ts). */
  notes?: string;
  critical?: true;
  intermediate?: true;
  /** Percentage of devices, when below 100. */
  rollout?: number;
  /** ISO time before which the release is not offered. */
  publishAt?: string;
  /** Best-first: the default package of the platform/arch comes first. */
  files: FeedFile[];
  /** Delta packages (Sparkle `delta`, Velopack `delta.nupkg`) from older versions, never offered as installers. */
  deltas?: FeedFile[];
}

/**
 * The published state of one app for one channel, platform and arch: everything a check needs,
 * in one small item. `releases` runs newest first down to the newest release every client may
 * have (the floor: published, fully rolled out, not scheduled), then the older stepping stones
 * (intermediate releases) a client far behind must pass through. `criticalBelow` lists the
 * critical versions under the floor, so skipping one makes the offered update critical.
 */
export interface PlatformFeed {
  appId: string;
  channel: string;
  platform: string;
  arch: string;
  releases: FeedRelease[];
  criticalBelow: string[];
  /** Set on every feed of a private app: its answers need a download token of the app. */
  private?: true;
  /** The channel's catalog id, on a private app's feeds (a token limited to one channel names it by id). */
  channelId?: string;
  /** The app's device pins by hash (`devicePinHash`): `c` the channel name, `v` the version it is held at. */
  pins?: Record<string, FeedPin>;
}

/** A pinned device's override as a feed item carries it. */
export interface FeedPin {
  c?: string;
  v?: string;
}

export interface CheckOptions {
  currentVersion: string;
  now: Date;
  /** Whether this client is inside a partial rollout of that release (false without a device id). */
  inRollout: (release: FeedRelease) => boolean;
}

/** What a feed says to one client. */
export type CheckOutcome =
  | { kind: 'empty' }
  | {
      kind: 'update';
      release: FeedRelease;
      /** The newest release this client may have (the target unless a stepping stone comes first). */
      latest: FeedRelease;
      /** The target is a stepping stone the client must install before newer ones. */
      viaIntermediate: boolean;
      /** Critical because the target or any release the client skips is critical (mandatory propagates). */
      critical: boolean;
    }
  | { kind: 'current' | 'ahead'; latest: FeedRelease };

/** True when the release is offered to this client now (schedule and rollout). */
function offered(release: FeedRelease, options: CheckOptions): boolean {
  if (release.publishAt && Date.parse(release.publishAt) > options.now.getTime()) return false;
  return release.rollout === undefined || options.inRollout(release);
}

/**
 * The update check (pure): the newest release offered to this client, or the lowest stepping
 * stone between its version and that one. Never a downgrade: a client on the newest or on a newer
 * build (`ahead`) is told there is nothing to install.
 */
export function checkFeed(feed: PlatformFeed, options: CheckOptions): CheckOutcome {
  const current = options.currentVersion;
  const available = feed.releases.filter((r) => offered(r, options));
  const latest = available.reduce<FeedRelease | undefined>((best, r) => (!best || isNewer(r.version, best.version) ? r : best), undefined);
  if (!latest) return { kind: 'empty' };
  if (!isNewer(latest.version, current)) return { kind: compareVersions(current, latest.version) === 0 ? 'current' : 'ahead', latest };
  const stones = available
    .filter((r) => r.intermediate && isNewer(r.version, current) && compareVersions(r.version, latest.version) <= 0)
    .sort((a, b) => compareVersions(a.version, b.version));
  const target = stones[0] ?? latest;
  const skippedCritical =
    available.some((r) => r.critical && isNewer(r.version, current) && compareVersions(r.version, target.version) <= 0) ||
    feed.criticalBelow.some((v) => isNewer(v, current) && compareVersions(v, target.version) <= 0);
  return { kind: 'update', release: target, latest, viaIntermediate: stones.length > 0, critical: skippedCritical };
}

/** The file to serve for a bundle type: an exact package match, else the platform/arch's default. */
export function pickFile(release: FeedRelease, bundleType?: string): FeedFile | undefined {
  return (bundleType ? release.files.find((f) => f.package === bundleType) : undefined) ?? release.files[0];
}

/** When the feed's answer changes on its own (a scheduled release starts): bounds edge caching. */
export function nextScheduledChange(feed: PlatformFeed, now: Date): Date | undefined {
  const times = feed.releases.map((r) => (r.publishAt ? Date.parse(r.publishAt) : Number.NaN)).filter((t) => t > now.getTime());
  return times.length > 0 ? new Date(Math.min(...times)) : undefined;
}
