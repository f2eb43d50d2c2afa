/**
 * The artifact links the faynoSync face hands out (`/search`'s `link`, checkVersion's
 * `update_url_<package>`, apps/latest's `url`): one builder, so every answer names a file the same
 * way. Links are opaque to faynoSync clients; like faynoSync's they end in `<app>-<version><ext>`.
 * Dependency-free apart from the path builder, so the check path can load it.
 */
import type { App, Artifact, Release } from './model.js';
import { publicPaths } from './public-paths.js';

/** Package type of a file without an extension. */
export const NO_EXTENSION_PACKAGE = 'none';

/** faynoSync's file name of an artifact: `<app>-<version>.<package>`, or `<app>-<version>` without an extension. */
export function artifactFileName(appName: string, version: string, pkg: string): string {
  return pkg === NO_EXTENSION_PACKAGE || pkg === '' ? `${appName}-${version}` : `${appName}-${version}.${pkg}`;
}

/** The public link of one artifact: `baseUrl` (no trailing slash needed) + the by-app-id file path. */
export function artifactLink(
  baseUrl: string,
  app: Pick<App, 'id' | 'name'>,
  release: Pick<Release, 'id' | 'version'>,
  artifact: Pick<Artifact, 'id' | 'package'>,
): string {
  const base = baseUrl.replace(/\/+$/, '');
  return `${base}${publicPaths.appFile(app.id, release.id, artifact.id, artifactFileName(app.name, release.version, artifact.package))}`;
}

/** faynoSync's `package` value: the extension with its leading dot, `""` for a file without one. */
export function packageWithDot(pkg: string): string {
  return pkg === NO_EXTENSION_PACKAGE || pkg === '' ? '' : `.${pkg}`;
}
