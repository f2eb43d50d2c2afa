import { type Arch, type Channel, channelClosure, type Platform } from './catalog.js';
import type { App, Artifact, Release } from './model.js';
import { packageRank } from './packages.js';
import { compareVersions, isNewer, isPrerelease } from './version.js';

/** One verified file a feed can offer. */
export interface FeedFile {
  artifactId: string;
  package: string;
  key: string;
  versionId?: string;
  size: number;
  sha256: string;
  signature?: string;
}

/** A release as a feed needs it. `rollout` and `publishAt` are only present when they restrict it. */
export interface FeedRelease {
  id: string;
  version: string;
  pubDate: string;
  notes?: string;
  changelog?: string;
  critical?: true;
  intermediate?: true;
  /** Percentage of devices, when below 100. */
  rollout?: number;
  /** ISO time before which the release is not offered. */
  publishAt?: string;
  /** Best-first: the default package of the platform/arch comes first. */
  files: FeedFile[];
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
}

export interface FeedCatalog {
  channels: Channel[];
  platforms: Platform[];
  archs: Arch[];
}

/** The feeds of an app, and which channel clients get when they name none. */
export interface AppFeeds {
  defaultChannel: string;
  feeds: PlatformFeed[];
}

/** The built-in platform/arch pairs always get a feed (so a SyncKit check of a new app is 204, not 404). */
const ALWAYS_PAIRED_PLATFORMS = ['linux', 'darwin', 'windows'];
const ALWAYS_PAIRED_ARCHS = ['x86_64', 'aarch64', 'i686', 'armv7'];

function isFullyAvailable(release: Release, now: Date): boolean {
  return release.rolloutPercent >= 100 && (!release.publishAt || Date.parse(release.publishAt) <= now.getTime());
}

function feedRelease(release: Release, files: FeedFile[], now: Date): FeedRelease {
  return {
    id: release.id,
    version: release.version,
    pubDate: release.pubDate,
    ...(release.notes ? { notes: release.notes } : {}),
    ...(release.changelog ? { changelog: release.changelog } : {}),
    ...(release.critical ? { critical: true as const } : {}),
    ...(release.intermediate ? { intermediate: true as const } : {}),
    ...(release.rolloutPercent < 100 ? { rollout: release.rolloutPercent } : {}),
    ...(release.publishAt && Date.parse(release.publishAt) > now.getTime() ? { publishAt: release.publishAt } : {}),
    files,
  };
}

function feedFile(artifact: Artifact, release: Release): FeedFile | undefined {
  if (artifact.status !== 'ready' || !artifact.objectKey || artifact.size === undefined || !artifact.sha256) return undefined;
  const signature = artifact.signature ?? release.signature;
  return {
    artifactId: artifact.id,
    package: artifact.package,
    key: artifact.objectKey,
    ...(artifact.objectVersionId ? { versionId: artifact.objectVersionId } : {}),
    size: artifact.size,
    sha256: artifact.sha256,
    ...(signature ? { signature } : {}),
  };
}

/**
 * Builds every feed of an app (pure): one per channel of the owner and per platform/arch pair that
 * the app has artifacts for (plus the built-in pairs). `now` decides which scheduled releases
 * already count as the floor; later ones stay in the feed and are filtered at check time.
 */
export function buildAppFeeds(app: App, catalog: FeedCatalog, releases: Release[], artifacts: Artifact[], now: Date): AppFeeds {
  const channels = new Map(catalog.channels.map((c) => [c.id, c]));
  const platforms = new Map(catalog.platforms.map((p) => [p.id, p]));
  const archs = new Map(catalog.archs.map((a) => [a.id, a]));
  const releaseById = new Map(releases.map((r) => [r.id, r]));

  const pairs = new Map<string, [string, string]>();
  for (const p of ALWAYS_PAIRED_PLATFORMS) {
    for (const a of ALWAYS_PAIRED_ARCHS) if (platforms.has(p) && archs.has(a)) pairs.set(`${p}\n${a}`, [p, a]);
  }
  // files per release and pair
  const files = new Map<string, FeedFile[]>();
  for (const artifact of artifacts) {
    if (!platforms.has(artifact.platformId) || !archs.has(artifact.archId)) continue;
    pairs.set(`${artifact.platformId}\n${artifact.archId}`, [artifact.platformId, artifact.archId]);
    const release = releaseById.get(artifact.releaseId);
    const file = release && feedFile(artifact, release);
    if (!file) continue;
    const key = `${artifact.releaseId}\n${artifact.platformId}\n${artifact.archId}`;
    files.set(key, [...(files.get(key) ?? []), file]);
  }
  for (const list of files.values())
    list.sort((a, b) => packageRank(a.package) - packageRank(b.package) || a.artifactId.localeCompare(b.artifactId));

  const published = releases.filter((r) => r.status === 'published').sort((a, b) => compareVersions(b.version, a.version));
  const feeds: PlatformFeed[] = [];
  for (const channel of catalog.channels) {
    const closure = channelClosure(channel.id, channels);
    const visible = published.filter((r) => closure.has(r.channelId) && (channel.allowPrerelease || !isPrerelease(r.version)));
    for (const [platformId, archId] of pairs.values()) {
      const feed: PlatformFeed = {
        appId: app.id,
        channel: channel.name,
        platform: (platforms.get(platformId) as Platform).name,
        arch: (archs.get(archId) as Arch).name,
        releases: [],
        criticalBelow: [],
      };
      let floorReached = false;
      for (const release of visible) {
        const releaseFiles = files.get(`${release.id}\n${platformId}\n${archId}`);
        if (!releaseFiles) continue;
        if (!floorReached) {
          feed.releases.push(feedRelease(release, releaseFiles, now));
          floorReached = isFullyAvailable(release, now);
        } else if (release.intermediate) {
          feed.releases.push(feedRelease(release, releaseFiles, now));
        } else if (release.critical) {
          feed.criticalBelow.push(release.version);
        }
      }
      feeds.push(feed);
    }
  }
  const defaultChannel = channels.get(app.defaultChannelId)?.name ?? app.defaultChannelId;
  return { defaultChannel, feeds };
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
