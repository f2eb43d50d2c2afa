import semverCompare from 'semver/functions/compare.js';
import semverParse from 'semver/functions/parse.js';

const MAX_VERSION_LENGTH = 128;
/** Dotted numbers (any count), an optional semver pre-release and build: `1.2.3`, `0.0.1.137`, `2.0.0-rc.1+b7`. */
const DOTTED = /^(\d+(?:\.\d+)*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** Parses a strict semver string (X.Y.Z[-pre][+build]); undefined when it is not one. The SyncKit and Tauri rule. */
export function parseVersion(raw: string): string | undefined {
  // semver accepts a leading "v" or "=" even when strict; the SyncKit API and Tauri do not.
  if (raw.length > MAX_VERSION_LENGTH || !/^\d/.test(raw)) return undefined;
  // semver trims before it matches, so `1.0.8 ` would parse with its space kept; a version is its exact text.
  if (!DOTTED.test(raw)) return undefined;
  const parsed = semverParse(raw, { loose: false });
  return parsed ? parsed.raw : undefined;
}

/**
 * Parses a dotted version of any length (faynoSync's `0.0.1.137`, Koolbase's bundle counters
 * rendered as `3`), with an optional semver pre-release and build; undefined when it is not one.
 */
export function parseDottedVersion(raw: string): string | undefined {
  if (raw.length > MAX_VERSION_LENGTH) return undefined;
  const match = DOTTED.exec(raw);
  if (!match || (match[1] as string).split('.').length > 8) return undefined;
  return raw;
}

interface Parts {
  numbers: string[];
  pre?: string;
}

function parts(version: string): Parts {
  const match = DOTTED.exec(version);
  if (!match) throw new Error(`not a version: ${version}`);
  const numbers = (match[1] as string).split('.').map((n) => n.replace(/^0+(?=\d)/, ''));
  return { numbers, ...(match[2] ? { pre: match[2] } : {}) };
}

function compareNumber(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Orders versions as semver does, extended to any number of dotted parts (missing parts count
 * as 0, as hashicorp/go-version and faynoSync do): numbers first, then a pre-release sorts below
 * its release. Build metadata never counts. Numbers of any size compare exactly.
 */
export function compareVersions(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  const length = Math.max(pa.numbers.length, pb.numbers.length);
  for (let i = 0; i < length; i++) {
    const d = compareNumber(pa.numbers[i] ?? '0', pb.numbers[i] ?? '0');
    if (d !== 0) return Math.sign(d);
  }
  if (pa.pre === pb.pre) return 0;
  if (pa.pre === undefined) return 1;
  if (pb.pre === undefined) return -1;
  return semverCompare(`0.0.0-${pa.pre}`, `0.0.0-${pb.pre}`);
}

/** True when `candidate` is strictly newer than `current`. */
export function isNewer(candidate: string, current: string): boolean {
  return compareVersions(candidate, current) > 0;
}

/** True for a pre-release (`-rc.1`), which only channels that allow pre-releases receive. */
export function isPrerelease(version: string): boolean {
  return parts(version).pre !== undefined;
}

/**
 * The identity of a version for uniqueness: versions that compare equal are one version to an
 * updater (1.2.0+a and 1.2.0+b; 1.2 and 1.2.0), so only one of them may exist in an app.
 */
export function versionIdentity(version: string): string {
  const { numbers, pre } = parts(version);
  while (numbers.length > 3 && numbers[numbers.length - 1] === '0') numbers.pop();
  while (numbers.length < 3) numbers.push('0');
  return `${numbers.join('.')}${pre ? `-${pre}` : ''}`;
}
