/**
 * The rollout's in/out split of telemetry: for every partial rollout an app publishes, how many
 * checks and unique devices were inside it and how many outside, per day. The aggregator sorts a
 * counted check, for each partial rollout that answered it (`decidingWatches`), with the test its
 * client's answer was decided by (`rolloutSide`).
 *
 * Which feeds serve which rollouts is written by the publisher beside the feeds (the slug's
 * publication item: `rolloutWatches` of the placements), so the aggregator resolves it with the
 * app, in one more read per app and batch.
 */
import type { FeedRelease } from './feed.js';
import { UniqueCounter } from './hyperloglog.js';
import { deviceBucket, inRollout } from './rollout.js';
import { archTarget, platformTarget } from './targets.js';
import type { CheckHit } from './telemetry-hit.js';
import { compareVersions } from './version.js';

/** A partial rollout as the aggregator needs it: the release, its percentage and the feeds serving it. */
export interface RolloutWatch {
  id: string;
  version: string;
  percent: number;
  /** The feed placements serving it, as `channel/platform/arch` (the default channel's alias "" included; platform and arch targets). */
  feeds: string[];
  /** A scheduled release: when it is offered (ISO); earlier checks were not answered by its rollout. */
  from?: string;
  /** When a newer release for everyone is scheduled to go live above it (ISO): later checks are answered by that one. */
  until?: string;
}

export type RolloutSide = 'in' | 'out';

/** One day's count of one side of a release's rollout. */
export interface RolloutRow {
  appId: string;
  releaseId: string;
  version: string;
  day: string;
  side: RolloutSide;
  requests: number;
  clients: UniqueCounter;
}

/** Partial rollouts kept per app beside its feeds (an app rarely has more than a few at once). */
export const MAX_ROLLOUT_WATCHES = 20;

/** The partial rollouts of a set of placements, with the feeds serving each, newest versions first. */
export function rolloutWatches(
  placements: readonly {
    channel: string;
    feed: { platform: string; arch: string; releases: readonly Pick<FeedRelease, 'id' | 'version' | 'rollout' | 'publishAt'>[] };
  }[],
): RolloutWatch[] {
  const byRelease = new Map<string, RolloutWatch>();
  for (const { channel, feed } of placements) {
    for (const release of feed.releases) {
      if (release.rollout === undefined) continue;
      const watch = byRelease.get(release.id) ?? {
        id: release.id,
        version: release.version,
        percent: release.rollout,
        feeds: [],
        ...(release.publishAt ? { from: release.publishAt } : {}),
      };
      watch.feeds.push(feedKey(channel, feed.platform, feed.arch));
      // A newer release for everyone, scheduled: from its time the rollout answers nobody in this feed.
      const takeover = feed.releases
        .filter((r) => r.rollout === undefined && r.publishAt !== undefined && compareVersions(r.version, release.version) > 0)
        .map((r) => r.publishAt as string)
        .sort()[0];
      if (takeover !== undefined && (watch.until === undefined || takeover < watch.until)) watch.until = takeover;
      byRelease.set(release.id, watch);
    }
  }
  return [...byRelease.values()]
    .sort((a, b) => compareVersions(b.version, a.version))
    .slice(0, MAX_ROLLOUT_WATCHES)
    .map((w) => ({ ...w, feeds: [...new Set(w.feeds)].sort() }));
}

function feedKey(channel: string, platform: string, arch: string): string {
  return `${channel}/${platform}/${arch}`;
}

/**
 * Which side of a rollout a counted check's device is on, decided as its client was: the Tauri
 * check by the server (`inRollout` over the bucket of the id the edge took), electron-updater by
 * itself (`stagingPercentage` against the last 4 bytes of its staging UUID, AppUpdater.isStagingMatch).
 * Undefined for the others: Velopack's and Tauri's static feeds offer a staged release to nobody,
 * faynoSync's clients decide from a seed, and Sparkle and Squirrel send no id.
 */
export function rolloutSide(
  hit: Pick<CheckHit, 'source' | 'bucketId' | 'stagingId'>,
  watch: Pick<RolloutWatch, 'id' | 'percent'>,
): RolloutSide | undefined {
  if (hit.source === 'tauri' && hit.bucketId !== undefined)
    return inRollout(deviceBucket(hit.bucketId), { id: watch.id, rollout: watch.percent }) ? 'in' : 'out';
  if (hit.source === 'electron' && hit.stagingId !== undefined) {
    const uuid = UUID.exec(hit.stagingId);
    if (!uuid) return undefined;
    return Number.parseInt(uuid[1] as string, 16) / 0xffffffff < watch.percent / 100 ? 'in' : 'out';
  }
  return undefined;
}

/** A UUID as electron-updater writes its staging id; group 1: its last 4 bytes. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}([0-9a-f]{8})$/i;

/**
 * The rollouts a counted check was answered by: those of the feed it read, live at its time. A Tauri
 * check reads one feed (its target and arch, as the check reads them). An electron-updater file
 * names one release for its OS (the Mac archs together, Windows x86_64, one Linux arch), the newest
 * that is not halted (FeedService.electron), so only the newest such rollout decided it.
 */
export function decidingWatches(
  hit: Pick<CheckHit, 'source' | 'channel' | 'platform' | 'arch' | 'timeMs'>,
  watches: readonly RolloutWatch[],
): RolloutWatch[] {
  // Most rollouts are not scheduled: the check's time is written out only for one that is.
  let at: string | undefined;
  const time = () => (at ??= new Date(hit.timeMs).toISOString());
  const live = watches.filter((w) => (w.from === undefined || w.from <= time()) && (w.until === undefined || time() < w.until));
  if (hit.source === 'tauri') {
    const key = feedKey(hit.channel, platformTarget(hit.platform), archTarget(hit.arch));
    return live.filter((w) => w.feeds.includes(key));
  }
  if (hit.source !== 'electron') return [];
  // `latest` is the default channel's alias ""; no arch in a Linux file name is x64.
  const channel = hit.channel === 'latest' ? '' : hit.channel;
  const prefix = hit.platform === 'darwin' ? `${channel}/darwin/` : undefined;
  const key = hit.platform === 'windows' ? feedKey(channel, 'windows', 'x86_64') : feedKey(channel, 'linux', archTarget(hit.arch || 'x64'));
  const served = live.filter((w) => w.percent > 0 && w.feeds.some((f) => (prefix ? f.startsWith(prefix) : f === key)));
  const newest = served.reduce<RolloutWatch | undefined>((n, w) => (!n || compareVersions(w.version, n.version) > 0 ? w : n), undefined);
  return newest ? [newest] : [];
}

/** The row's sort key in the app's telemetry partition: after every day-keyed row ("R" sorts after digits). */
export function rolloutSortKey(row: Pick<RolloutRow, 'releaseId' | 'day' | 'side'>): string {
  return `${ROLLOUT_ROW_PREFIX}${row.releaseId}#${row.day}#${row.side}`;
}

export const ROLLOUT_ROW_PREFIX = 'R#';

/** The rollout rows of one batch: one per app, release, day and side. */
export class RolloutBatch {
  private readonly rows = new Map<string, RolloutRow>();

  add(appId: string, watch: RolloutWatch, day: string, side: RolloutSide, device: { hi: number; lo: number }): void {
    const id = `${appId}\n${rolloutSortKey({ releaseId: watch.id, day, side })}`;
    let row = this.rows.get(id);
    if (!row) {
      row = { appId, releaseId: watch.id, version: watch.version, day, side, requests: 0, clients: new UniqueCounter() };
      this.rows.set(id, row);
    }
    row.requests++;
    row.clients.add(device);
  }

  get size(): number {
    return this.rows.size;
  }

  all(): RolloutRow[] {
    return [...this.rows.values()];
  }
}
