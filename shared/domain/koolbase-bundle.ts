/**
 * Koolbase's bundles on the one release model, as pure functions: a bundle is a release with one
 * `zip` artifact for every platform and arch, its Koolbase version an integer counted per project
 * and channel, and its channel a catalog channel of the owner named like the Koolbase channel.
 */
import { Invalid, shown } from './errors.js';

/** The channel a bundle or check names when it names none. */
export const DEFAULT_KOOLBASE_CHANNEL = 'production';

/** Koolbase's bundle limit (50 MB, as its server counts them: MiB). */
export const MAX_BUNDLE_BYTES = 50 * 1024 * 1024;
export const BUNDLE_TOO_LARGE = 'bundle too large (max 50MB)';

/** The package type of every bundle. */
export const BUNDLE_PACKAGE = 'zip';

/**
 * Koolbase channel names: a letter, then letters, digits or `-` (40 at most). Narrower than catalog
 * names because a channel other than production is part of the release's version (`3-staging`),
 * which must stay a valid version.
 */
const CHANNEL_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,39}$/;

export function requireKoolbaseChannel(channel: string): string {
  if (!CHANNEL_PATTERN.test(channel)) {
    throw new Invalid(`channel ${shown(channel)} must be 1-40 letters, digits or '-', starting with a letter`);
  }
  return channel;
}

/**
 * The release version of bundle `n` of a channel. Versions are unique per app in the release
 * model while Koolbase counts per channel, so channels other than production carry their name as
 * a pre-release tag: production's bundle 3 is release `3`, staging's is `3-staging`.
 */
export function releaseVersionOf(n: number, channel: string): string {
  return channel === DEFAULT_KOOLBASE_CHANNEL ? String(n) : `${n}-${channel}`;
}

/** The Koolbase version (the counter) of a bundle's release version; undefined for a release that is not a bundle. */
export function bundleNumberOf(version: string): number | undefined {
  const match = /^(\d{1,15})(?:-[A-Za-z][A-Za-z0-9-]*)?$/.exec(version);
  return match ? Number(match[1]) : undefined;
}

/** The client's version as Koolbase reads it: a whole number, anything else (missing included) is 0. */
export function clientVersionOf(raw: string | undefined): number {
  return raw !== undefined && /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
}

/** The file name a bundle is downloaded under. */
export function bundleFileName(n: number): string {
  return `v${n}.zip`;
}

/** What the check serves of a channel's active bundle (copied into every SDK key item of the project). */
export interface ActiveBundle {
  releaseId: string;
  artifactId: string;
  /** The Koolbase version. */
  version: number;
  /** SHA-256 of the bytes, hex. */
  sha256: string;
  size: number;
  mandatory: boolean;
  notes: string;
}
