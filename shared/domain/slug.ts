const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/;

/**
 * Words a slug may not take because they are, or will be, fixed segments of public paths
 * (`/api/sync/ota/apps/...`, `/api/sync/ota/{slug}/download/...`) or feed names.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'apps',
  'channels',
  'platforms',
  'archs',
  'app',
  'download',
  'downloads',
  'health',
  'jobs',
  'api',
  'admin',
  'static',
  'latest',
  'check',
  'releases',
  'artifacts',
  'feeds',
  'files',
  'feed',
  'telemetry',
  'whoami',
  'users',
  'ota',
  'sdk',
  'v1',
  'team',
  'tokens',
  'audit',
  'installs',
  'session',
  'refresh',
]);

/** Why a slug is refused, or undefined when it is fine: 3-40 lowercase alphanumerics and hyphens. */
export function slugProblem(slug: string): string | undefined {
  if (!SLUG_PATTERN.test(slug)) {
    return 'slug must be 3-40 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit';
  }
  if (slug.includes('--')) return 'slug may not contain two hyphens in a row';
  if (RESERVED_SLUGS.has(slug)) return `slug "${slug}" is reserved`;
  return undefined;
}

const MAX_SLUG = 40;
const SUFFIX_CHARS = 5;

/**
 * The slug an app's name suggests: lowercase letters and digits, every other run of characters a
 * hyphen (accents dropped), cut to leave room for a suffix. `app-<name>` when that is too short
 * or reserved; never empty.
 */
export function slugFromName(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG - SUFFIX_CHARS - 1)
    .replace(/-+$/, '');
  return base.length < 3 || RESERVED_SLUGS.has(base) ? `app-${base}`.replace(/-+$/, '') || 'app' : base;
}

/**
 * The slugs to try for a new app, in order: the name's own, then the same with a random suffix
 * (`my-app-k3x9q`) for each collision. `random` gives a number in [0, 1) (tests inject it).
 */
export function slugCandidates(name: string, attempts: number, random: () => number = Math.random): string[] {
  const base = slugFromName(name);
  const suffix = () =>
    Array.from({ length: SUFFIX_CHARS }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(random() * 36)]).join('');
  const first = slugProblem(base) === undefined ? [base] : [];
  return [...first, ...Array.from({ length: attempts - first.length }, () => `${base}-${suffix()}`)];
}

/** A slug released by a deleted (or re-slugged) app: held for its former owner until `until`. */
export interface SlugHold {
  ownerId: string;
  until: string;
}

/** Days a released slug stays held for its former owner when the deployer sets none. */
export const DEFAULT_SLUG_HOLD_DAYS = 30;

/** When a slug released at `now` frees for everyone. */
export function slugHoldEnd(now: Date, days: number): string {
  return new Date(now.getTime() + days * 24 * 3600 * 1000).toISOString();
}

/**
 * Why `ownerId` may not claim a slug held as `hold` at `now`, or undefined when it may: its former
 * owner may reclaim it at once, anyone else once the hold ends (so installed clients of the
 * deleted app never receive another owner's releases in the meantime).
 */
export function slugHoldRefusal(slug: string, hold: SlugHold | undefined, ownerId: string, now: Date): string | undefined {
  if (!hold || hold.ownerId === ownerId || Date.parse(hold.until) <= now.getTime()) return undefined;
  return `Slug "${slug}" belonged to a deleted app and is held for its former owner until ${hold.until}`;
}
