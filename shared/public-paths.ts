/**
 * The public path shapes clients are handed (download links) and the edge purges, built in one
 * place from the same prefix the route table uses. Dependency-free, so the check path can load it.
 */
export const API_PREFIX = '/api/sync/ota';

export const publicPaths = {
  /** The SyncKit download path of one release's artifact for a platform/arch. */
  download: (slug: string, releaseId: string, target: string, arch: string): string =>
    `${API_PREFIX}/${slug}/download/${releaseId}/${target}/${arch}`,
  /** Every public answer under a slug (checks, downloads, latest links), as an invalidation path. */
  slugWildcard: (slug: string): string => `${API_PREFIX}/${slug}/*`,
} as const;
