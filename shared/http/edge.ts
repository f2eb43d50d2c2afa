/**
 * Caching contract between the public routes and CloudFront. Browsers and updaters must not
 * cache (max-age=0), the edge may (s-maxage): every published change writes the app's new revision
 * to the edge's KeyValueStore, whose value is part of every cache key (EDGE_KEY_HEADER), so a
 * publish makes new keys and nothing needs purging; the TTL only bounds how long unused keys stay.
 */
export const EDGE_TTL_SECONDS = 3600;
export const EDGE_CACHE_CONTROL = `public, max-age=0, s-maxage=${EDGE_TTL_SECONDS}`;

/** Cache-Control for an edge-cacheable answer that must not outlive `seconds` (a scheduled release starts). */
export function edgeCacheControl(seconds = EDGE_TTL_SECONDS): string {
  return `public, max-age=0, s-maxage=${Math.max(0, Math.min(EDGE_TTL_SECONDS, Math.floor(seconds)))}`;
}

/**
 * Cache-Control of every answer for a private app (and of its download redirects): no shared
 * cache, the edge included, ever stores it. CloudFront honours `private` and `no-store` because
 * every cache policy has a minimum TTL of 0.
 */
export const PRIVATE_CACHE_CONTROL = 'private, no-store';

/** The header and the query parameter a private app's download token may come in (besides `Authorization: Bearer`). */
export const DOWNLOAD_TOKEN_HEADER = 'x-download-token';
export const DOWNLOAD_TOKEN_QUERY = 'token';

/** Marks an edge-cacheable "no update" 200 that the viewer-response function turns into 204. */
export const NO_UPDATE_HEADER = 'x-ota-no-update';

/**
 * The device bucket (0-99) the edge function derives from a device id on rollout-aware routes:
 * forwarded to the origin (which decides in/out itself), never part of the cache key.
 */
export const DEVICE_BUCKET_HEADER = 'x-ota-bucket';
/** Device ids the stock clients send: faynoSync's SDKs and Tauri apps (custom header), electron-updater. */
export const DEVICE_ID_HEADERS = ['x-device-id', 'x-user-staging-id'] as const;

/** The header CloudFront adds to origin requests, carrying ORIGIN_VERIFY_SECRET. */
export const ORIGIN_VERIFY_HEADER = 'x-ota-origin-verify';

/** The header Koolbase's SDK sends its public key in. */
export const API_KEY_HEADER = 'x-api-key';
/** Formerly the key-hash cache-key header; now inside EDGE_KEY_HEADER. A client-sent value is still dropped at the edge. */
export const API_KEY_HASH_HEADER = 'x-ota-key-hash';

/**
 * The one cache-key header the viewer-request function computes for every cached path (app
 * revision, rollout in/out, key hash; infra/edge-functions.ts). A client-sent value is dropped.
 */
export const EDGE_KEY_HEADER = 'x-ota-edge-key';

/** Set by the viewer-request function for a pinned device only: its id's hash (`devicePinHash`); a client-sent copy is dropped. */
export const DEVICE_PIN_HEADER = 'x-ota-pin';
