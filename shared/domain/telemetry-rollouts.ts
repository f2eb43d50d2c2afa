/**
 * The rollout's in/out split of telemetry: for every partial rollout an app publishes, how many
 * checks and unique devices were inside it and how many outside, per day. The aggregator sorts a
 * counted check, for each partial rollout of a release its channel serves, with the test its
 * client's answer was decided by (`rolloutSide`).
 *
 * Which rollouts a channel serves is written by the publisher beside its feeds (the slug's
 * publication item: `rolloutWatches` of the placements), so the aggregator resolves it with the
 * app, in one more read per app and batch.
 */
import type { FeedRelease } from './feed.js';
import { UniqueCounter } from './hyperloglog.js';
import { deviceBucket, inRollout } from './rollout.js';
import type { CheckHit } from './telemetry-hit.js';
import { compareVersions } from './version.js';

/** A partial rollout as the aggregator needs it: the release, its percentage and the channel names (feed placements) serving it. */
export interface RolloutWatch {
  id: string;
  version: string;
  percent: number;
  /** Placement channel names, the default channel's alias "" included. */
  channels: string[];
  /** A scheduled release: the UTC day it is offered from (checks of earlier days are not its rollout's). */
  from?: string;
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

/** The partial rollouts of a set of placements, with the channels serving each (newest releases first). */
export function rolloutWatches(
  placements: readonly { channel: string; feed: { releases: readonly Pick<FeedRelease, 'id' | 'version' | 'rollout' | 'publishAt'>[] } }[],
): RolloutWatch[] {
  const byRelease = new Map<string, RolloutWatch>();
  for (const { channel, feed } of placements) {
    for (const release of feed.releases) {
      if (release.rollout === undefined) continue;
      const watch = byRelease.get(release.id) ?? {
        id: release.id,
        version: release.version,
        percent: release.rollout,
        channels: [],
        ...(release.publishAt ? { from: release.publishAt.slice(0, 10) } : {}),
      };
      if (!watch.channels.includes(channel)) watch.channels.push(channel);
      byRelease.set(release.id, watch);
    }
  }
  return [...byRelease.values()].slice(0, MAX_ROLLOUT_WATCHES).map((w) => ({ ...w, channels: w.channels.sort() }));
}

/**
 * Which side of a rollout a counted check's device is on, decided as its client was: the Tauri
 * check by the server (`inRollout` over the device's bucket, the edge's test), electron-updater by
 * itself (`stagingPercentage` against the last 4 bytes of its staging UUID, AppUpdater.isStagingMatch).
 * Undefined for the others: Velopack's and Tauri's static feeds offer a staged release to nobody,
 * faynoSync's clients decide from a seed, and Sparkle and Squirrel send no id.
 */
export function rolloutSide(
  hit: Pick<CheckHit, 'source' | 'deviceId' | 'stagingId'>,
  watch: Pick<RolloutWatch, 'id' | 'percent'>,
): RolloutSide | undefined {
  if (hit.source === 'tauri') return inRollout(deviceBucket(hit.deviceId), { id: watch.id, rollout: watch.percent }) ? 'in' : 'out';
  if (hit.source === 'electron' && hit.stagingId !== undefined) {
    const uuid = UUID.exec(hit.stagingId);
    if (!uuid) return undefined;
    return Number.parseInt(uuid[1] as string, 16) / 0xffffffff < watch.percent / 100 ? 'in' : 'out';
  }
  return undefined;
}

/** A UUID as electron-updater writes its staging id; group 1: its last 4 bytes. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}([0-9a-f]{8})$/i;

/** The channel name a hit's feed was placed under (electron-updater's `latest` is the default channel's alias ""). */
function placementChannel(hit: Pick<CheckHit, 'source' | 'channel'>): string {
  return hit.source === 'electron' && hit.channel === 'latest' ? '' : hit.channel;
}

/**
 * The rollouts a counted check was answered by: those its channel serves, live on its day. An
 * electron-updater feed names one release, the newest, so only the newest of them decided it.
 */
export function decidingWatches(hit: Pick<CheckHit, 'source' | 'channel' | 'day'>, watches: readonly RolloutWatch[]): RolloutWatch[] {
  const channel = placementChannel(hit);
  const live = watches.filter((w) => w.channels.includes(channel) && (w.from === undefined || w.from <= hit.day));
  if (hit.source !== 'electron' || live.length < 2) return live;
  return [live.reduce((newest, w) => (compareVersions(w.version, newest.version) > 0 ? w : newest))];
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
