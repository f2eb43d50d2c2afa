/**
 * Caching contract between the public routes and CloudFront. Browsers and updaters must not
 * cache (max-age=0), the edge may (s-maxage): publishing invalidates the slug's paths, so the
 * edge TTL bounds staleness only if an invalidation is lost.
 */
export const EDGE_TTL_SECONDS = 3600;
export const EDGE_CACHE_CONTROL = `public, max-age=0, s-maxage=${EDGE_TTL_SECONDS}`;

/** Marks an edge-cacheable "no update" 200 that the viewer-response function turns into 204. */
export const NO_UPDATE_HEADER = 'x-ota-no-update';
