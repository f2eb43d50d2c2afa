import type { FeedRelease } from './feed.js';

/** Buckets devices are spread over: a rollout percentage selects that many of them. */
export const BUCKETS = 100;
/** Device ids are read up to this length (the edge function does the same). */
export const MAX_DEVICE_ID = 200;

/**
 * A device's bucket, 0-99, from the id its updater sends (`X-Device-ID`, electron's
 * `x-user-staging-id`): djb2 over UTF-16 code units, in arithmetic that stays exact in doubles, so
 * the CloudFront Function (infra/edge-functions.ts) computes the very same number at the edge.
 */
export function deviceBucket(deviceId: string): number {
  let hash = 5381;
  const id = deviceId.slice(0, MAX_DEVICE_ID);
  for (let i = 0; i < id.length; i++) hash = (hash * 33 + id.charCodeAt(i)) % 4294967296;
  return hash % BUCKETS;
}

/**
 * Whether the device in `bucket` is inside a release's partial rollout. Each release shifts the
 * buckets by its own offset, so every rollout chooses its own devices, and one device gets the
 * same answer on every check. Without a bucket (no device id) a client is never inside.
 */
export function inRollout(bucket: number | undefined, release: Pick<FeedRelease, 'id' | 'rollout'>): boolean {
  if (bucket === undefined || release.rollout === undefined) return release.rollout === undefined;
  return (bucket + deviceBucket(release.id)) % BUCKETS < release.rollout;
}
