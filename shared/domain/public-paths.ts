/**
 * The public path shapes clients are handed (download links) and the edge purges, built in one
 * place from the same prefix the route table uses. Dependency-free, so the check path can load it.
 */
export const API_PREFIX = '/api/sync/ota';
/** Prefix of the feeds the stock updaters read (electron-updater, Squirrel, Sparkle, Tauri static). */
export const FEEDS_PREFIX = '/feeds';

/** Prefix of the by-app-id file links (faynoSync and Koolbase faces). */
export const APP_FILES_PREFIX = '/files';

/** faynoSync's download route: `?key=` names a file, the answer is `{"download_url"}` (a private app's links go through it). */
export const FAYNO_DOWNLOAD_PATH = '/download';

export const publicPaths = {
  /** The SyncKit download path of one release's artifact for a platform/arch. */
  download: (slug: string, releaseId: string, target: string, arch: string): string =>
    `${API_PREFIX}/${slug}/download/${releaseId}/${target}/${arch}`,
  /** A verified file by id, under a name that says what it is (feeds whose clients read file names). */
  file: (slug: string, releaseId: string, artifactId: string, fileName: string): string =>
    `${API_PREFIX}/${slug}/files/${releaseId}/${artifactId}/${encodeURIComponent(fileName)}`,
  /**
   * A verified file of a published release by app id, under the name its client expects: the
   * links the faynoSync and Koolbase faces hand out (their apps need no slug).
   */
  appFile: (appId: string, releaseId: string, artifactId: string, fileName: string): string =>
    `${APP_FILES_PREFIX}/${appId}/${releaseId}/${artifactId}/${encodeURIComponent(fileName)}`,
  /**
   * faynoSync's link of a private app's file: `/download?key=` and the file's by-app-id path
   * (without its leading slash, the name decoded), URL-encoded, so the key ends in
   * `<app>-<version><ext>` as faynoSync's keys do.
   */
  faynoDownload: (appFilePath: string): string =>
    `${FAYNO_DOWNLOAD_PATH}?key=${encodeURIComponent(decodeURIComponent(appFilePath.replace(/^\/+/, '')))}`,
  /** Every public answer of a slug (checks, downloads, latest links, feeds), as invalidation paths. */
  slugWildcards: (slug: string): string[] => [`${API_PREFIX}/${slug}/*`, `${FEEDS_PREFIX}/${slug}/*`],
} as const;
