import { BUCKETS, deviceBucket } from './rollout.js';

/**
 * What the edge knows about one app, held in CloudFront KeyValueStore under every public
 * identifier its paths carry (slug, app id, faynoSync owner and name). The viewer-request
 * function (infra/edge-functions.ts) reads it on every cached request: the revision goes into the
 * cache key (a publish makes new keys instead of purging old ones), a deleted or private app's
 * public paths are refused at the edge at once, and a device is sorted "in" or "out" of each
 * partial rollout, so one check path has at most 2 variants per rollout instead of 100.
 */
export interface EdgeState {
  /** Revision: the publisher's clock (ms) when the change had committed; part of every cache key. */
  readonly rev: number;
  readonly private?: true;
  readonly deleted?: true;
  /** The app's partial rollouts, as [offset, percent] (offset = deviceBucket(release id), as inRollout uses). */
  readonly rollouts?: readonly (readonly [number, number])[];
  /** Decoded only: the app has more partial rollouts than MAX_EDGE_ROLLOUTS, so the edge keys by bucket. */
  readonly byBucket?: true;
  /** Revision of the app's set of files: bumped when files were removed; part of the artifact (`/ota/*`) cache key. */
  readonly files?: number;
  /** Hashes of the app's pinned device ids (`devicePinHash`): only such a device gets a key component of its own. */
  readonly pins?: readonly string[];
  /**
   * When the pins last changed alone (the publisher's clock, ms): part of a pinned device's key only,
   * so a pin change gives that device a fresh answer and leaves `rev` (everyone's key) as it was.
   */
  readonly pinsRev?: number;
}

/** One key's new state, as the publisher hands it to the edge-state writer (through the outbox). */
export interface EdgeStateUpdate {
  readonly key: string;
  readonly state: Pick<EdgeState, 'rev' | 'private' | 'deleted' | 'rollouts' | 'pins'>;
  /** Files were removed (a release or the app deleted): the app's artifact keys change too. */
  readonly filesChanged?: true;
  /**
   * Only the pins changed (every answer but a pinned device's is the same): the stored state keeps
   * its revision and takes `pins`, with `state.rev` as its pins revision. `state` is still the whole
   * state, stored as it is when the key holds none yet.
   */
  readonly pinsOnly?: true;
}

/** The state to store for an update over what the store holds; undefined when the store already holds this or a newer revision. */
export function mergeEdgeState(current: EdgeState | undefined, update: EdgeStateUpdate): EdgeState | undefined {
  const { pins, ...rest } = update.state;
  if (update.pinsOnly && current) {
    // A deleted app stays deleted; an older pin change (or a full update newer than it) has the last word.
    if (current.deleted || (current.pinsRev ?? current.rev) >= update.state.rev) return undefined;
    const { pins: _pins, pinsRev: _pinsRev, ...kept } = current;
    return { ...kept, ...(pins && pins.length > 0 ? { pins } : {}), pinsRev: update.state.rev };
  }
  if (current && current.rev >= update.state.rev) return undefined;
  const files = update.filesChanged ? update.state.rev : current?.files;
  // A pin change that landed before this (older) full update was computed after it: its pins stand.
  const newerPins = current?.pinsRev !== undefined && current.pinsRev > update.state.rev ? current : undefined;
  const keptPins = newerPins ? newerPins.pins : pins;
  return {
    ...rest,
    ...(keptPins && keptPins.length > 0 ? { pins: keptPins } : {}),
    ...(newerPins ? { pinsRev: newerPins.pinsRev } : {}),
    ...(files !== undefined ? { files } : {}),
  };
}

/** KeyValueStore limits (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html#limits-functions). */
export const KVS_MAX_KEY_BYTES = 512;
export const KVS_MAX_VALUE_BYTES = 1024;
/** Rollouts kept per app: 2^n cache variants of a rollout-aware path; a value stays far below 1 KB. */
export const MAX_EDGE_ROLLOUTS = 4;

/** The KeyValueStore keys of an app's public identifiers (one module builds them; the edge function builds the same strings). */
export const edgeStateKeys = {
  slug: (slug: string): string => `s/${slug}`,
  app: (appId: string): string => `a/${appId}`,
  fayno: (ownerName: string, appName: string): string => `f/${ownerName}/${appName}`,
} as const;

/** The compact value stored for an app (short names: every byte counts against 1 KB and each read). */
export function encodeEdgeState(state: EdgeState): string {
  return JSON.stringify({
    v: state.rev,
    ...(state.private ? { p: 1 } : {}),
    ...(state.deleted ? { d: 1 } : {}),
    // More rollouts than bits we allow: the edge keys by the device's bucket itself (correct, 100 variants).
    ...(state.rollouts && state.rollouts.length > MAX_EDGE_ROLLOUTS ? { b: 1 } : {}),
    ...(state.rollouts && state.rollouts.length > 0 && state.rollouts.length <= MAX_EDGE_ROLLOUTS ? { r: state.rollouts } : {}),
    ...(state.files !== undefined ? { f: state.files } : {}),
    ...(state.pins && state.pins.length > 0 ? { n: state.pins } : {}),
    ...(state.pinsRev !== undefined ? { q: state.pinsRev } : {}),
  });
}

/** The state a stored value describes; undefined for anything else. */
export function decodeEdgeState(value: string | undefined): EdgeState | undefined {
  if (!value) return undefined;
  try {
    const raw = JSON.parse(value) as {
      v?: unknown;
      p?: unknown;
      d?: unknown;
      r?: unknown;
      f?: unknown;
      b?: unknown;
      n?: unknown;
      q?: unknown;
    };
    if (typeof raw.v !== 'number') return undefined;
    const rollouts = Array.isArray(raw.r)
      ? raw.r.filter((r): r is [number, number] => Array.isArray(r) && typeof r[0] === 'number' && typeof r[1] === 'number')
      : [];
    return {
      rev: raw.v,
      ...(raw.p === 1 ? { private: true as const } : {}),
      ...(raw.d === 1 ? { deleted: true as const } : {}),
      ...(rollouts.length > 0 ? { rollouts } : {}),
      ...(raw.b === 1 ? { byBucket: true as const } : {}),
      ...(typeof raw.f === 'number' ? { files: raw.f } : {}),
      ...(Array.isArray(raw.n) ? { pins: raw.n.filter((n): n is string => typeof n === 'string') } : {}),
      ...(typeof raw.q === 'number' ? { pinsRev: raw.q } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The distinct partial rollouts of an app's releases, as the edge stores them (offset, percent), in a stable order. */
export function edgeRollouts(releases: readonly { id: string; rollout?: number }[]): [number, number][] {
  const seen = new Map<string, [number, number]>();
  for (const release of releases) {
    if (release.rollout === undefined || release.rollout >= BUCKETS) continue;
    const pair: [number, number] = [deviceBucket(release.id), release.rollout];
    seen.set(pair.join(','), pair);
  }
  return [...seen.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/**
 * Which of the app's rollouts a device bucket is inside, one character per rollout ("1" in, "0"
 * out): the same test as inRollout in rollout.ts. No bucket (no device id): outside every one.
 */
export function rolloutBits(state: Pick<EdgeState, 'rollouts' | 'byBucket'>, bucket: number | undefined): string {
  if (state.byBucket) return `b${bucket ?? ''}`;
  return (state.rollouts ?? [])
    .map(([offset, percent]) => (bucket !== undefined && (bucket + offset) % BUCKETS < percent ? '1' : '0'))
    .join('');
}
