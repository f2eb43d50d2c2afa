import type { Artifact, Release } from './model.js';
import { type Arch, platformKey, type Target } from './platform.js';
import { isNewer } from './version.js';

/** What the check endpoint needs to answer for one target/arch, precomputed at publish time. */
export interface FeedEntry {
  releaseId: string;
  version: string;
  notes: string;
  signature: string;
  pubDate: string;
  objectKey: string;
  objectVersionId?: string;
  sha256: string;
  size: number;
}

/** The whole public state of an app: per `target-arch`, the newest release with a ready artifact. */
export interface Feed {
  appId: string;
  entries: Record<string, FeedEntry>;
}

/** Builds the feed from an app's releases and artifacts (pure; order of inputs does not matter). */
export function buildFeed(appId: string, releases: Release[], artifacts: Artifact[]): Feed {
  const byId = new Map(releases.map((r) => [r.id, r]));
  const entries: Record<string, FeedEntry> = {};
  for (const artifact of artifacts) {
    if (artifact.status !== 'ready' || !artifact.sha256 || artifact.size === undefined) continue;
    const release = byId.get(artifact.releaseId);
    if (!release) continue;
    const key = platformKey(artifact.target, artifact.arch);
    const current = entries[key];
    if (current && !isNewer(release.version, current.version)) continue;
    entries[key] = {
      releaseId: release.id,
      version: release.version,
      notes: release.notes,
      // A signature belongs to one file, so the artifact's own wins over the release-wide one.
      signature: artifact.signature ?? release.signature ?? '',
      pubDate: release.pubDate,
      objectKey: artifact.objectKey,
      ...(artifact.objectVersionId ? { objectVersionId: artifact.objectVersionId } : {}),
      sha256: artifact.sha256,
      size: artifact.size,
    };
  }
  return { appId, entries };
}

/** The update to offer a client, or undefined when it is already current (→ 204). */
export function chooseUpdate(feed: Feed, target: Target, arch: Arch, currentVersion: string): FeedEntry | undefined {
  const entry = feed.entries[platformKey(target, arch)];
  return entry && isNewer(entry.version, currentVersion) ? entry : undefined;
}
