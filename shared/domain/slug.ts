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
