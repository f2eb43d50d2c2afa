/**
 * What each channel, platform, arch and package is served right now, from an app's published
 * releases as the API lists them (newest first). `ota status` prints it; the console shows it.
 */

/** The fields of a listed release this needs (the API's release answer has them all). */
export interface ListedRelease {
  id: string;
  version: string;
  channel: string;
  promoted_to: readonly string[];
  status: string;
  scheduled: boolean;
  rollout_percent: number;
  artifacts: readonly { status: string; target: string; arch: string; package: string }[];
}

export interface Served {
  channel: string;
  target: string;
  arch: string;
  package: string;
  version: string;
  rollout_percent: number;
  release_id: string;
  /** Below 100 %: the version the devices outside the rollout get (null: none, they get no update). */
  others_get: string | null;
}

/** One row per channel/platform/arch/package: the newest release offered there, and what devices outside its rollout get. */
export function servedNow(releases: readonly ListedRelease[]): Served[] {
  const serves = new Map<string, Served>();
  for (const r of releases) {
    if (r.status !== 'published' || r.scheduled) continue;
    for (const a of r.artifacts)
      for (const channel of [r.channel, ...r.promoted_to]) {
        if (a.status !== 'ready') continue;
        const key = [channel, a.target, a.arch, a.package].join('/');
        const known = serves.get(key);
        if (!known) {
          serves.set(key, {
            channel,
            target: a.target,
            arch: a.arch,
            package: a.package,
            version: r.version,
            rollout_percent: r.rollout_percent,
            release_id: r.id,
            others_get: null,
          });
          continue;
        }
        // The list is newest first: behind a partial rollout, the first older release serves the rest.
        if (known.rollout_percent < 100 && known.others_get === null && r.rollout_percent === 100) known.others_get = r.version;
      }
  }
  return [...serves.values()].sort((x, y) => `${x.channel}/${x.target}/${x.arch}`.localeCompare(`${y.channel}/${y.target}/${y.arch}`));
}
