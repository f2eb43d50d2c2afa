import { Invalid, shown } from './errors.js';

/**
 * Package (bundle) types tell apart several artifacts of one release for one platform/arch
 * (a .deb and an .rpm): Tauri's `{{bundle_type}}` values (appimage, deb, rpm, app, msi, nsis) and
 * the others feeds use (zip, dmg, nupkg, …). faynoSync uses the file extension, so any short
 * lowercase extension is accepted.
 */
const PACKAGE_PATTERN = /^[a-z0-9][a-z0-9.+_-]{0,23}$/;

/** Validates a package type. */
export function requirePackage(value: string): string {
  const normalized = value.toLowerCase();
  if (!PACKAGE_PATTERN.test(normalized))
    throw new Invalid(`package ${shown(value)} must be 1-24 lowercase letters, digits, '.', '+', '_' or '-'`);
  return normalized;
}

/**
 * The package a SyncKit artifact gets when none is named: what the Tauri updater installs on that
 * target (macOS `.app.tar.gz` = `app`, Windows NSIS setup, Linux AppImage).
 */
export function defaultPackageFor(platformName: string): string {
  if (platformName === 'darwin') return 'app';
  if (platformName === 'windows') return 'nsis';
  if (platformName === 'linux') return 'appimage';
  return 'none';
}

/** Preference among several artifacts of one platform/arch when the client names no bundle type. */
const PREFERENCE = ['app', 'appimage', 'nsis', 'msi', 'deb', 'rpm', 'zip', 'tar.gz', 'dmg', 'pkg', 'exe'];

/** Ranks packages for "the target/arch's default artifact": Tauri-updatable bundles first. */
export function packageRank(pkg: string): number {
  const index = PREFERENCE.indexOf(pkg);
  return index === -1 ? PREFERENCE.length : index;
}
