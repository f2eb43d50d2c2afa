/**
 * The key of faynoSync's `GET /download?key=`: which file it names. Its links (`/search`'s `link`,
 * a private app's `update_url_*`) name a file by its by-app-id path; `<version id>/<file id>` also
 * works for the caller's own files.
 */
import { isId } from '../../domain/ids.js';
import { APP_FILES_PREFIX } from '../../domain/public-paths.js';

export interface FileKey {
  /** Absent for the `<version id>/<file id>` form: the caller's apps are searched. */
  appId?: string;
  releaseId: string;
  artifactId: string;
  /** The file name the link ends in (`<app>-<version><ext>`), when the key is a link. */
  fileName?: string;
}

/** A file link (`…/files/<app>/<release>/<artifact>/<name>`, with or without the base URL) or `<release>/<artifact>`. */
export function parseFileKey(key: string): FileKey | undefined {
  let path = key.trim();
  try {
    if (/^https?:\/\//i.test(path)) path = decodeURIComponent(new URL(path).pathname);
  } catch {
    return undefined;
  }
  const segments = path.split('/').filter((s) => s !== '');
  const prefix = APP_FILES_PREFIX.replace(/^\//, '');
  if (segments[0] === prefix && segments.length >= 4) {
    const [, appId, releaseId, artifactId, ...name] = segments as [string, string, string, string, ...string[]];
    if (!isId(appId) || !isId(releaseId) || !isId(artifactId)) return undefined;
    return { appId, releaseId, artifactId, ...(name.length > 0 ? { fileName: name.join('/') } : {}) };
  }
  if (segments.length === 2) {
    const [releaseId, artifactId] = segments as [string, string];
    return isId(releaseId) && isId(artifactId) ? { releaseId, artifactId } : undefined;
  }
  return undefined;
}
