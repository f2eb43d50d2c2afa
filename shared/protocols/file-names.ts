import { ELECTRON_ARCH } from './electron-arch.js';

/** File extensions by package type, where the type is not the extension itself. */
const EXTENSION: Readonly<Record<string, string>> = { appimage: 'AppImage', nsis: 'exe', app: 'app.tar.gz' };

/**
 * The one name a verified file is served under (`…/files/<release>/<artifact>/<name>`): every feed
 * hands out this name and the download answers only to it, so a client guessing neighbours (an
 * electron-updater `.blockmap`) gets a 404 rather than the installer, and names cannot split the
 * edge cache. Names carry what clients read from them: electron-updater's MacUpdater picks arm64
 * builds by `arm64` in the name; Squirrel.Windows reads the version from `<id>-<version>-full.nupkg`,
 * where the id stops at the first '-' or '.'.
 */
export function servedFileName(slug: string, version: string, platform: string, arch: string, pkg: string): string {
  if (pkg === 'nupkg') return `${slug.replace(/[-.]/g, '')}-${version}-full.nupkg`;
  return `${slug}-${version}-${platform}-${ELECTRON_ARCH[arch] ?? arch}.${EXTENSION[pkg] ?? pkg}`;
}
