/**
 * The faynoSync view of one app: everything `/checkVersion` and `/apps/latest` need, in one
 * item stored under faynoSync's own address of the app (owner user name, app name), so each
 * answer is one read. Rebuilt with the app's feeds on every change (FeedPublisher).
 *
 * It holds the owner's catalog names (faynoSync's "setting channel is required once one was
 * created" rule and its per-platform updaters decide how a check is answered) and, per channel,
 * the published versions a check can reach: the newest one, the newest per platform/arch, the
 * newest stepping stones (intermediate) and scheduled ones not yet live. Pure.
 */
import { ANY_ARCH_ID, ANY_PLATFORM_ID, type Updater } from './catalog.js';
import { artifactFileName } from './fayno-links.js';
import type { FeedCatalog } from './feed-builder.js';
import { type App, type Artifact, type Release, releaseChannels } from './model.js';
import { publicPaths } from './public-paths.js';
import { type Targeted, targetOf } from './targets.js';
import { compareVersions } from './version.js';

/** Stepping stones kept per channel: a client further behind is offered the oldest one kept. */
export const VIEW_STONES = 10;
/** Critical versions kept per channel below the newest. */
export const VIEW_CRITICAL = 100;
const CHANGELOG_CHARS = 4_000;

export interface ViewFile {
  /** Platform name; `any` for a file that fits every platform. */
  p: string;
  a: string;
  /** Package type (extension without dot; `none` for no extension). */
  k: string;
  /** Public path of the file (the by-app-id link), without the base URL. */
  u: string;
  s?: string;
}

export interface ViewVersion {
  id: string;
  v: string;
  critical: boolean;
  intermediate: boolean;
  changelog: string;
  rollout: number;
  /** A scheduled release: offered from this time. */
  at?: string;
  files: ViewFile[];
}

export interface FaynoView {
  appId: string;
  appName: string;
  slug?: string;
  defaultChannel: string;
  /** The owner's channels; `explicit` ones were created (faynoSync counts only these). */
  channels: { name: string; explicit: boolean }[];
  /** `t`: the entry's target (targets.ts), when it differs from its name: checks match files by target. */
  platforms: { name: string; explicit: boolean; updaters: Updater[]; t?: string }[];
  archs: { name: string; explicit: boolean; t?: string }[];
  /** Per channel name: the versions a check can reach, newest first. */
  versions: Record<string, ViewVersion[]>;
  /**
   * Per channel name: critical versions below the newest kept one (at most VIEW_CRITICAL, newest
   * first), so a client that skips one is told the offer is critical, as the native check says.
   */
  critical?: Record<string, string[]>;
  /** Set when the app is private: its answers need a download token. */
  private?: true;
  /** A private app's channel ids by name (a token limited to one channel names it by id). */
  channelIds?: Record<string, string>;
}

interface Named {
  id: string;
  name: string;
  explicit: boolean;
}

/** Builds the view from the stored state. Only published, verified files are in it. */
export function buildFaynoView(
  app: App,
  catalog: FeedCatalog,
  releases: readonly Release[],
  artifacts: readonly Artifact[],
  now: Date,
): FaynoView {
  const names = (entries: readonly Named[]) => new Map(entries.map((e) => [e.id, e.name]));
  const channelNames = names(catalog.channels);
  const platformNames = names(catalog.platforms);
  const archNames = names(catalog.archs);
  const filesOf = new Map<string, ViewFile[]>();
  for (const artifact of artifacts) {
    const release = releases.find((r) => r.id === artifact.releaseId);
    if (!release || artifact.status !== 'ready' || !artifact.objectKey) continue;
    const file: ViewFile = {
      p: platformNames.get(artifact.platformId) ?? artifact.platformId,
      a: archNames.get(artifact.archId) ?? artifact.archId,
      k: artifact.package,
      u: publicFilePath(app, release, artifact),
      ...((artifact.signature ?? release.signature) ? { s: artifact.signature ?? release.signature } : {}),
    };
    filesOf.set(release.id, [...(filesOf.get(release.id) ?? []), file]);
  }
  const versions: Record<string, ViewVersion[]> = {};
  const critical: Record<string, string[]> = {};
  const published = releases
    .filter((r) => r.status === 'published' && (filesOf.get(r.id)?.length ?? 0) > 0)
    .sort((a, b) => compareVersions(b.version, a.version) || b.createdAt.localeCompare(a.createdAt));
  for (const channelId of new Set(published.flatMap(releaseChannels))) {
    const inChannel = published.filter((r) => releaseChannels(r).includes(channelId));
    const kept = new Set<string>();
    const live = (r: Release) => !r.publishAt || Date.parse(r.publishAt) <= now.getTime();
    // The newest live one overall (apps/latest) and per platform/arch, plus every scheduled one above them.
    const settled = new Set<string>();
    let overall = false;
    for (const release of inChannel) {
      const pairs = (filesOf.get(release.id) ?? []).map((f) => `${f.p}/${f.a}`);
      const needed = !overall || pairs.some((pair) => !settled.has(pair));
      if (needed) kept.add(release.id);
      if (live(release)) {
        overall = true;
        for (const pair of pairs) settled.add(pair);
      }
    }
    for (const release of inChannel.filter((r) => r.intermediate).slice(0, VIEW_STONES)) kept.add(release.id);
    const channel = channelNames.get(channelId) ?? channelId;
    const criticalBelow = inChannel
      .filter((r) => r.critical && !kept.has(r.id) && live(r))
      .slice(0, VIEW_CRITICAL)
      .map((r) => r.version);
    if (criticalBelow.length > 0) critical[channel] = criticalBelow;
    versions[channel] = inChannel
      .filter((r) => kept.has(r.id))
      .map((r) => ({
        id: r.id,
        v: r.version,
        critical: r.critical,
        intermediate: r.intermediate,
        changelog: r.changelog.slice(0, CHANGELOG_CHARS),
        rollout: r.rolloutPercent,
        ...(r.publishAt && !live(r) ? { at: r.publishAt } : {}),
        files: filesOf.get(r.id) ?? [],
      }));
  }
  return {
    appId: app.id,
    appName: app.name,
    ...(app.slug ? { slug: app.slug } : {}),
    defaultChannel: channelNames.get(app.defaultChannelId) ?? app.defaultChannelId,
    channels: catalog.channels.map((c) => ({ name: c.name, explicit: c.explicit })),
    platforms: catalog.platforms.map((p) => ({ name: p.name, explicit: p.explicit, updaters: p.updaters, ...targetField(p) })),
    archs: catalog.archs.map((a) => ({ name: a.name, explicit: a.explicit, ...targetField(a) })),
    versions,
    ...(Object.keys(critical).length > 0 ? { critical } : {}),
    ...(app.private === true
      ? { private: true as const, channelIds: Object.fromEntries(catalog.channels.map((c) => [c.name, c.id])) }
      : {}),
  };
}

/** An entry's target, stored only when it is not its name (most entries' target is their name). */
function targetField(entry: Targeted): { t?: string } {
  const target = targetOf(entry);
  return target === entry.name ? {} : { t: target };
}

function publicFilePath(app: App, release: Release, artifact: Artifact): string {
  return publicPaths.appFile(app.id, release.id, artifact.id, artifactFileName(app.name, release.version, artifact.package));
}

/** The platform and arch names a faynoSync request without them (or naming an unknown one) resolves to. */
export const ANY_PLATFORM = ANY_PLATFORM_ID;
export const ANY_ARCH = ANY_ARCH_ID;
