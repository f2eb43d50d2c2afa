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

/**
 * Files that make an update smaller and are never installed on their own (docs/feeds.md,
 * "Differential updates"): electron-builder's `.blockmap` of an installer (package
 * `<installer package>.blockmap`, beside its installer in the same release, platform and arch),
 * a Sparkle delta archive (`delta`) and a Velopack delta package (`delta.nupkg`), each naming the
 * version it applies to (`deltaFrom`).
 */
export const BLOCKMAP_SUFFIX = '.blockmap';
export const SPARKLE_DELTA = 'delta';
export const VELOPACK_DELTA = 'delta.nupkg';

/** The package of an installer's blockmap (`nsis` → `nsis.blockmap`). */
export function blockmapPackage(installer: string): string {
  return `${installer}${BLOCKMAP_SUFFIX}`;
}

/** True for a blockmap package (`nsis.blockmap`). */
export function isBlockmap(pkg: string): boolean {
  return pkg.endsWith(BLOCKMAP_SUFFIX) && pkg.length > BLOCKMAP_SUFFIX.length;
}

/** True for a delta package: it applies to one older version, named by the artifact's `deltaFrom`. */
export function isDelta(pkg: string): boolean {
  return pkg === SPARKLE_DELTA || pkg === VELOPACK_DELTA;
}

/** True for a file that only helps download another (a blockmap or a delta): never offered as an installer. */
export function isCompanion(pkg: string): boolean {
  return isBlockmap(pkg) || isDelta(pkg);
}

/** Checks that a delta package names the version it applies to, and that nothing else does. */
export function requireDeltaFrom(pkg: string, deltaFrom: string | undefined): void {
  if (isDelta(pkg) && deltaFrom === undefined)
    throw new Invalid(`package ${shown(pkg)} is a delta: name the version it applies to in delta_from`);
  if (!isDelta(pkg) && deltaFrom !== undefined)
    throw new Invalid(`delta_from is for delta packages (${SPARKLE_DELTA}, ${VELOPACK_DELTA}), not ${shown(pkg)}`);
  if (isBlockmap(pkg)) requirePackage(pkg.slice(0, -BLOCKMAP_SUFFIX.length));
}
