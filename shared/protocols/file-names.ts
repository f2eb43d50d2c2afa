import { BLOCKMAP_SUFFIX, isBlockmap, VELOPACK_DELTA } from '../domain/packages.js';
import { ELECTRON_ARCH } from './electron-arch.js';

/** File extensions by package type, where the type is not the extension itself. */
const EXTENSION: Readonly<Record<string, string>> = { appimage: 'AppImage', nsis: 'exe', app: 'app.tar.gz' };

/** The extension a package's files carry (`nsis` → `exe`, `zip.blockmap` → `zip.blockmap`, `delta.nupkg` → `nupkg`). */
export function fileExtension(pkg: string): string {
  if (isBlockmap(pkg)) return `${fileExtension(pkg.slice(0, -BLOCKMAP_SUFFIX.length))}${BLOCKMAP_SUFFIX}`;
  if (pkg === VELOPACK_DELTA) return 'nupkg';
  return EXTENSION[pkg] ?? pkg;
}

/**
 * The name a verified object carries in its `Content-Disposition` (set once, when it is verified):
 * clients that name a download after the response, not the link, keep its extension (Sparkle
 * saves an update under `suggestedFilename`, the final response's, and picks its unarchiver, a
 * `.delta`'s too, by the extension; a browser saves a website's download link under it).
 */
export function objectFileName(app: string, version: string, pkg: string, deltaFrom?: string): string {
  const name = `${app}-${version}${deltaFrom === undefined ? '' : `-from-${deltaFrom}`}.${fileExtension(pkg)}`;
  return name.replace(/[^A-Za-z0-9._+-]/g, '_');
}

/**
 * The one name a verified file is served under (`…/files/<release>/<artifact>/<name>`): every feed
 * hands out this name and the download answers only to it, so a client guessing neighbours gets a
 * 404 rather than the installer, and names cannot split the edge cache. Names carry what clients
 * read from them: electron-updater's MacUpdater picks arm64 builds by `arm64` in the name;
 * Squirrel.Windows reads the version from `<id>-<version>-full.nupkg`, where the id stops at the
 * first '-' or '.'. An installer's blockmap is its name + `.blockmap` (electron-updater asks for
 * `${url}.blockmap`); a Sparkle delta ends in `.delta` (Sparkle picks its binary-delta unarchiver
 * by that extension) and names the version it applies to.
 */
export function servedFileName(slug: string, version: string, platform: string, arch: string, pkg: string, deltaFrom?: string): string {
  if (isBlockmap(pkg)) return `${servedFileName(slug, version, platform, arch, pkg.slice(0, -BLOCKMAP_SUFFIX.length))}${BLOCKMAP_SUFFIX}`;
  if (pkg === 'nupkg') return `${slug.replace(/[-.]/g, '')}-${version}-full.nupkg`;
  if (pkg === VELOPACK_DELTA) return `${slug.replace(/[-.]/g, '')}-${version}-delta.nupkg`;
  const name = `${slug}-${version}-${platform}-${ELECTRON_ARCH[arch] ?? arch}`;
  return `${name}${deltaFrom === undefined ? '' : `-from-${deltaFrom}`}.${fileExtension(pkg)}`;
}
