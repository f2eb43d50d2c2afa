import { type Arch, type Channel, channelClosure, type Platform } from './catalog.js';
import type { FeedFile, FeedRelease, PlatformFeed } from './feed.js';
import { type App, type Artifact, type Release, releaseChannels } from './model.js';
import { isCompanion, isDelta, packageRank, VELOPACK_DELTA } from './packages.js';
import { ALSO_RUNS_ON, targetOf } from './targets.js';
import { compareVersions, isPrerelease } from './version.js';

/**
 * Bounds that keep every feed item far below DynamoDB's 400 KB whatever an app publishes: notes
 * are cut (the full changelog stays on the release), and only the newest partial or scheduled
 * releases, stepping stones and critical versions are kept, and per release the deltas from the
 * newest versions.
 */
export const LIMITS = { notesChars: 4_000, aboveFloor: 20, stones: 10, criticalBelow: 100, deltas: 10 } as const;

/** The notes a feed offers: the release notes, else its Markdown changelog, cut to the bound. */
function notesOf(release: Release): string {
  const notes = release.notes || release.changelog;
  return notes.length > LIMITS.notesChars ? `${notes.slice(0, LIMITS.notesChars - 1)}…` : notes;
}

/**
 * Building the published feeds from an app's records (publish time). Kept apart from the check
 * (feed.ts), which must stay small: the check path loads none of this.
 */
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

/** The canonical platform/arch pairs always get a feed (so a SyncKit check of a new app is 204, not 404). */
const ALWAYS_PAIRED_PLATFORMS = ['linux', 'darwin', 'windows'];
const ALWAYS_PAIRED_ARCHS = ['x86_64', 'aarch64', 'i686', 'armv7'];

function isFullyAvailable(release: Release, now: Date): boolean {
  return release.rolloutPercent >= 100 && (!release.publishAt || Date.parse(release.publishAt) <= now.getTime());
}

function feedRelease(release: Release, files: FeedFile[], now: Date, deltas: FeedFile[] | undefined): FeedRelease {
  return {
    id: release.id,
    version: release.version,
    pubDate: release.pubDate,
    ...(notesOf(release) ? { notes: notesOf(release) } : {}),
    ...(release.critical ? { critical: true as const } : {}),
    ...(release.intermediate ? { intermediate: true as const } : {}),
    ...(release.rolloutPercent < 100 ? { rollout: release.rolloutPercent } : {}),
    ...(release.publishAt && Date.parse(release.publishAt) > now.getTime() ? { publishAt: release.publishAt } : {}),
    files,
    ...(deltas
      ? { deltas: [...deltas].sort((a, b) => compareVersions(b.deltaFrom ?? '0', a.deltaFrom ?? '0')).slice(0, LIMITS.deltas) }
      : {}),
  };
}

/** An artifact as a feed offers it; undefined unless it is verified. */
export function feedFile(artifact: Artifact, release: Release): FeedFile | undefined {
  if (artifact.status !== 'ready' || !artifact.objectKey || artifact.size === undefined || !artifact.sha256 || !artifact.sha512)
    return undefined;
  const signature = artifact.signature ?? release.signature;
  return {
    artifactId: artifact.id,
    package: artifact.package,
    key: artifact.objectKey,
    ...(artifact.objectVersionId ? { versionId: artifact.objectVersionId } : {}),
    size: artifact.size,
    sha256: artifact.sha256,
    sha512: Buffer.from(artifact.sha512, 'hex').toString('base64'),
    ...(signature ? { signature } : {}),
    ...(artifact.edSignature ? { edSignature: artifact.edSignature } : {}),
    ...((artifact.package === 'nupkg' || artifact.package === VELOPACK_DELTA) && artifact.sha1 ? { sha1: artifact.sha1 } : {}),
    ...(artifact.deltaFrom !== undefined ? { deltaFrom: artifact.deltaFrom } : {}),
  };
}

/**
 * Builds every feed of an app (pure): one per channel of the owner and per platform/arch pair that
 * the app has artifacts for (plus the built-in pairs). `now` decides which scheduled releases
 * already count as the floor; later ones stay in the feed and are filtered at check time.
 */
export function buildAppFeeds(app: App, catalog: FeedCatalog, releases: Release[], artifacts: Artifact[], now: Date): AppFeeds {
  const channels = new Map(catalog.channels.map((c) => [c.id, c]));
  // Feeds are built and addressed by target (targets.ts): entries that mean the same OS or arch share them.
  const platformTargets = new Map(catalog.platforms.map((p) => [p.id, targetOf(p)]));
  const archTargets = new Map(catalog.archs.map((a) => [a.id, targetOf(a)]));
  const releaseById = new Map(releases.map((r) => [r.id, r]));

  const pairs = new Map<string, [string, string]>();
  const targetsPresent = (map: Map<string, string>, target: string) => [...map.values()].includes(target);
  for (const p of ALWAYS_PAIRED_PLATFORMS) {
    for (const a of ALWAYS_PAIRED_ARCHS)
      if (targetsPresent(platformTargets, p) && targetsPresent(archTargets, a)) pairs.set(`${p}\n${a}`, [p, a]);
  }
  // files per release and pair; then a build that also runs on other archs (universal) fills their gaps
  const files = new Map<string, FeedFile[]>();
  // Delta packages ride with their release; blockmaps are served beside their installer (download-service.ts).
  const deltas = new Map<string, FeedFile[]>();
  const alsoFor: [string, string, string, FeedFile][] = [];
  for (const artifact of artifacts) {
    const platform = platformTargets.get(artifact.platformId);
    const arch = archTargets.get(artifact.archId);
    if (platform === undefined || arch === undefined) continue;
    pairs.set(`${platform}\n${arch}`, [platform, arch]);
    const release = releaseById.get(artifact.releaseId);
    const file = release && feedFile(artifact, release);
    if (!file) continue;
    const key = `${artifact.releaseId}\n${platform}\n${arch}`;
    if (isCompanion(artifact.package)) {
      if (isDelta(artifact.package)) deltas.set(key, [...(deltas.get(key) ?? []), file]);
      continue;
    }
    files.set(key, [...(files.get(key) ?? []), file]);
    for (const other of ALSO_RUNS_ON[arch] ?? []) alsoFor.push([artifact.releaseId, platform, other, { ...file, arch }]);
  }
  const exact = new Set(files.keys());
  for (const [releaseId, platform, arch, file] of alsoFor) {
    const key = `${releaseId}\n${platform}\n${arch}`;
    if (exact.has(key)) continue;
    pairs.set(`${platform}\n${arch}`, [platform, arch]);
    files.set(key, [...(files.get(key) ?? []), file]);
  }
  for (const list of files.values())
    list.sort((a, b) => packageRank(a.package) - packageRank(b.package) || a.artifactId.localeCompare(b.artifactId));

  const published = releases.filter((r) => r.status === 'published').sort((a, b) => compareVersions(b.version, a.version));
  const feeds: PlatformFeed[] = [];
  for (const channel of catalog.channels) {
    const closure = channelClosure(channel.id, channels);
    const visible = published.filter(
      (r) => releaseChannels(r).some((id) => closure.has(id)) && (channel.allowPrerelease || !isPrerelease(r.version)),
    );
    for (const [platform, arch] of pairs.values()) {
      const feed: PlatformFeed = {
        appId: app.id,
        channel: channel.name,
        platform,
        arch,
        releases: [],
        criticalBelow: [],
      };
      let floorReached = false;
      let above = 0;
      let stones = 0;
      // Package types whose newest fully available release is in the feed: below the floor, the
      // newest release of any other type is kept too, for clients that can install only that type.
      const floored = new Set<string>();
      // Likewise the newest fully available signed release, for Tauri clients (update-check.ts signedOnly).
      let signedFloor = false;
      for (const release of visible) {
        const releaseFiles = files.get(`${release.id}\n${platform}\n${arch}`);
        if (!releaseFiles) continue;
        const releaseDeltas = deltas.get(`${release.id}\n${platform}\n${arch}`);
        if (!floorReached) {
          // Past the bound, partial and scheduled releases wait for the ones above them to settle.
          if (above++ < LIMITS.aboveFloor || isFullyAvailable(release, now))
            feed.releases.push(feedRelease(release, releaseFiles, now, releaseDeltas));
          floorReached = isFullyAvailable(release, now);
          if (floorReached) for (const file of releaseFiles) floored.add(file.package);
          if (floorReached) signedFloor = releaseFiles.some((f) => f.signature);
        } else if (
          isFullyAvailable(release, now) &&
          (releaseFiles.some((f) => !floored.has(f.package)) || (!signedFloor && releaseFiles.some((f) => f.signature)))
        ) {
          for (const file of releaseFiles) floored.add(file.package);
          signedFloor ||= releaseFiles.some((f) => f.signature);
          feed.releases.push(feedRelease(release, releaseFiles, now, releaseDeltas));
        } else if (release.intermediate && stones < LIMITS.stones) {
          stones++;
          feed.releases.push(feedRelease(release, releaseFiles, now, releaseDeltas));
        } else if (release.critical && feed.criticalBelow.length < LIMITS.criticalBelow) {
          feed.criticalBelow.push(release.version);
        }
      }
      feeds.push(feed);
    }
  }
  const defaultChannel = channels.get(app.defaultChannelId)?.name ?? app.defaultChannelId;
  return { defaultChannel, feeds };
}
