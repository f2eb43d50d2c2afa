import { chooseUpdate, type FeedEntry } from '../domain/feed.js';
import { type Arch, isArch, isTarget, type Target } from '../domain/platform.js';
import { slugProblem } from '../domain/slug.js';
import { parseVersion } from '../domain/version.js';
import { Invalid, NotFound, shown } from '../http/errors.js';
import type { SlugRecord } from '../storage/slug-record.js';

/** Anything that resolves a slug to its feed with one read. */
export interface FeedSource {
  read(slug: string): Promise<SlugRecord | undefined>;
}

/** The public path values that name one app's feed for one platform. */
export interface FeedPath {
  slug: string;
  target: string;
  arch: string;
}

export interface CheckQuery extends FeedPath {
  currentVersion: string;
}

/** Validates slug, target and arch of a public path: an impossible slug is 404, the rest 400. */
export function parseFeedPath(path: FeedPath): { slug: string; target: Target; arch: Arch } {
  if (slugProblem(path.slug)) throw new NotFound(`No app is published at ${shown(path.slug)}`);
  if (!isTarget(path.target)) throw new Invalid(`Unknown target ${shown(path.target)}; expected linux, darwin or windows`);
  if (!isArch(path.arch)) throw new Invalid(`Unknown arch ${shown(path.arch)}; expected x86_64, aarch64, i686 or armv7`);
  return { slug: path.slug, target: path.target, arch: path.arch };
}

/** Validates the four path values of a check; every problem is a 400 naming the value. */
export function parseCheckQuery(query: CheckQuery): { slug: string; target: Target; arch: Arch; currentVersion: string } {
  const path = parseFeedPath(query);
  const currentVersion = parseVersion(query.currentVersion);
  if (!currentVersion) throw new Invalid(`${shown(query.currentVersion)} is not a semantic version`);
  return { ...path, currentVersion };
}

/** The update check: one read of the slug's feed, no writes. */
export async function checkForUpdate(source: FeedSource, query: CheckQuery): Promise<FeedEntry | undefined> {
  const q = parseCheckQuery(query);
  const record = await source.read(q.slug);
  if (!record) throw new NotFound(`No app is published at ${shown(q.slug)}`);
  return chooseUpdate(record.feed, q.target, q.arch, q.currentVersion);
}
