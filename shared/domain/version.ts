import semverGt from 'semver/functions/gt.js';
import semverParse from 'semver/functions/parse.js';

const MAX_VERSION_LENGTH = 128;

/** Parses a strict semver string (X.Y.Z[-pre][+build]); undefined when it is not one. */
export function parseVersion(raw: string): string | undefined {
  // semver accepts a leading "v" or "=" even when strict; the SyncKit API and Tauri do not.
  if (raw.length > MAX_VERSION_LENGTH || !/^\d/.test(raw)) return undefined;
  const parsed = semverParse(raw, { loose: false });
  return parsed ? parsed.raw : undefined;
}

/**
 * The identity of a version for uniqueness: build metadata does not count in semver
 * precedence, so 1.2.0+a and 1.2.0+b would be indistinguishable to an updater.
 */
export function versionIdentity(version: string): string {
  const parsed = semverParse(version);
  if (!parsed) throw new Error(`not a version: ${version}`);
  return parsed.version;
}

/** True when `candidate` is strictly newer than `current` by semver precedence. */
export function isNewer(candidate: string, current: string): boolean {
  return semverGt(candidate, current);
}
