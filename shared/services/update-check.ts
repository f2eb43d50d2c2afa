import { chooseUpdate, type FeedEntry } from '../domain/feed.js';
import { isArch, isTarget } from '../domain/platform.js';
import { slugProblem } from '../domain/slug.js';
import { parseVersion } from '../domain/version.js';
import { Invalid, NotFound, shown } from '../http/errors.js';
import type { SlugRecord } from '../storage/slug-record.js';

/** Anything that resolves a slug to its feed with one read. */
export interface FeedSource {
  read(slug: string): Promise<SlugRecord | undefined>;
}

export interface CheckQuery {
  slug: string;
  target: string;
  arch: string;
  currentVersion: string;
}

/** Validates the four path values of a check; every problem is a 400 naming the value. */
export function parseCheckQuery(query: CheckQuery): {
  slug: string;
  target: 'linux' | 'darwin' | 'windows';
  arch: 'x86_64' | 'aarch64' | 'i686' | 'armv7';
  currentVersion: string;
} {
  if (slugProblem(query.slug)) throw new NotFound(`No app is published at ${shown(query.slug)}`);
  if (!isTarget(query.target)) throw new Invalid(`Unknown target ${shown(query.target)}; expected linux, darwin or windows`);
  if (!isArch(query.arch)) throw new Invalid(`Unknown arch ${shown(query.arch)}; expected x86_64, aarch64, i686 or armv7`);
  const currentVersion = parseVersion(query.currentVersion);
  if (!currentVersion) throw new Invalid(`${shown(query.currentVersion)} is not a semantic version`);
  return { slug: query.slug, target: query.target, arch: query.arch, currentVersion };
}

/** The update check: one read of the slug's feed, no writes. */
export async function checkForUpdate(source: FeedSource, query: CheckQuery): Promise<FeedEntry | undefined> {
  const q = parseCheckQuery(query);
  const record = await source.read(q.slug);
  if (!record) throw new NotFound(`No app is published at ${shown(q.slug)}`);
  return chooseUpdate(record.feed, q.target, q.arch, q.currentVersion);
}
