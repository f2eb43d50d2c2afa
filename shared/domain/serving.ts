/**
 * What each channel serves, per platform, arch and package, from the native API's answers
 * (published releases and channels) with the rules the server's feeds follow: a channel offers its
 * own releases, those promoted into it and those of the channels it follows (transitively; a
 * channel that takes no pre-releases skips them); the newest full release is what every device
 * gets, newer partial rollouts reach their share, those at 0 % (halted or not started) nobody.
 * `ota status` prints it; the console's rollouts screen shows it.
 */

import { channelClosure } from './channel-closure.js';

/** The parts of a release answer the status reads. */
export interface StatusRelease {
  id: string;
  version: string;
  channel: string;
  promoted_to: readonly string[];
  rollout_percent: number;
  artifacts: readonly { target: string; arch: string; package: string; status: string }[];
}

/** The parts of a channel answer the status reads (`follows` by name). */
export interface StatusChannel {
  name: string;
  follows?: readonly string[] | undefined;
  allow_prerelease?: boolean | undefined;
}

export interface ServedRow {
  channel: string;
  target: string;
  arch: string;
  package: string;
  /** The newest release every device of the channel gets; null when only partial or halted ones exist. */
  version: string | null;
  release_id: string | null;
  /** The channel the served release belongs to, when it comes from another one (followed or promoted from). */
  from: string | null;
  /** Newer releases on their way: each to its share of devices. */
  partial: { version: string; percent: number; release_id: string }[];
  /** Newer releases at 0 % (halted, or not started): offered to nobody. */
  halted: string[];
}

/** The channel names releases are offered on (their own and those promoted into), sorted: the channels when their catalog cannot be read. */
export function releaseChannelNames(releases: readonly Pick<StatusRelease, 'channel' | 'promoted_to'>[]): string[] {
  return [...new Set(releases.flatMap((r) => [r.channel, ...r.promoted_to]))].sort();
}

/**
 * The rows of `ota status`; `published` are the app's published releases that are not scheduled
 * ahead, newest version first (the order the releases route answers in).
 */
export function servedRows(published: readonly StatusRelease[], channels: readonly StatusChannel[]): ServedRow[] {
  const byName = new Map(channels.map((c) => [c.name, c]));
  const rows: ServedRow[] = [];
  for (const channel of channels) {
    const sources = channelClosure(channel.name, byName);
    const offered = published.filter(
      (r) => [r.channel, ...r.promoted_to].some((c) => sources.has(c)) && (channel.allow_prerelease !== false || !r.version.includes('-')),
    );
    const slots = new Map<string, ServedRow>();
    for (const release of offered) {
      for (const artifact of release.artifacts) {
        if (artifact.status !== 'ready') continue;
        const key = [artifact.target, artifact.arch, artifact.package].join('/');
        let row = slots.get(key);
        if (!row) {
          row = { channel: channel.name, target: artifact.target, arch: artifact.arch, package: artifact.package, ...emptyRow() };
          slots.set(key, row);
        }
        if (row.version !== null) continue;
        if (release.rollout_percent >= 100) {
          row.version = release.version;
          row.release_id = release.id;
          const own = release.channel === channel.name || release.promoted_to.includes(channel.name);
          row.from = own ? null : release.channel;
        } else if (release.rollout_percent > 0) {
          row.partial.push({ version: release.version, percent: release.rollout_percent, release_id: release.id });
        } else row.halted.push(release.version);
      }
    }
    rows.push(...slots.values());
  }
  return rows.sort((x, y) =>
    `${x.channel}/${x.target}/${x.arch}/${x.package}`.localeCompare(`${y.channel}/${y.target}/${y.arch}/${y.package}`),
  );
}

function emptyRow(): Pick<ServedRow, 'version' | 'release_id' | 'from' | 'partial' | 'halted'> {
  return { version: null, release_id: null, from: null, partial: [], halted: [] };
}
