import { Invalid, NotFound, shown } from '../domain/errors.js';
import {
  type CheckOutcome,
  checkFeed,
  type FeedFile,
  type FeedPin,
  type FeedRelease,
  nextScheduledChange,
  type PlatformFeed,
  pickFile,
} from '../domain/feed.js';
import { inRollout } from '../domain/rollout.js';
import { slugProblem } from '../domain/slug.js';
import { archTarget, platformTarget } from '../domain/targets.js';
import { compareVersions, parseVersion } from '../domain/version.js';
import { DEFAULT_CHANNEL_ALIAS } from '../storage/keys.js';
import type { DownloadAccess } from './download-access.js';

/** Anything that reads one published feed item with one read. */
export interface FeedSource {
  read(slug: string, channel: string, platform: string, arch: string): Promise<PlatformFeed | undefined>;
}

/** Catalog names as they may appear in a public path or query (the catalog's own rule). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
const BUNDLE = /^[a-z0-9][a-z0-9.+_-]{0,23}$/;

/** The public values that name one feed: slug, platform, arch and (optional) channel. */
export interface FeedAddress {
  slug: string;
  target: string;
  arch: string;
  channel?: string;
}

/** Validates a feed address: anything that cannot name a feed is a 404 (no such feed), never a storage call. */
export function parseFeedAddress(address: FeedAddress): Required<Pick<FeedAddress, 'slug' | 'target' | 'arch'>> & { channel: string } {
  if (slugProblem(address.slug)) throw new NotFound(`No app is published at ${shown(address.slug)}`);
  if (!NAME.test(address.target)) throw new NotFound(`No platform ${shown(address.target)} is published for this app`);
  if (!NAME.test(address.arch)) throw new NotFound(`No arch ${shown(address.arch)} is published for this app`);
  if (address.channel !== undefined && !NAME.test(address.channel))
    throw new NotFound(`No channel ${shown(address.channel)} is published for this app`);
  // Every client's words for an OS or arch address the same feeds (targets.ts): `amd64`, `x64` and `x86_64` alike.
  return {
    slug: address.slug,
    target: platformTarget(address.target),
    arch: archTarget(address.arch),
    channel: address.channel ?? DEFAULT_CHANNEL_ALIAS,
  };
}

/** Reads the one feed item of an address; 404 when the slug, channel, platform or arch is not published. */
export async function readFeed(source: FeedSource, address: FeedAddress): Promise<PlatformFeed> {
  const a = parseFeedAddress(address);
  const feed = await source.read(a.slug, a.channel, a.target, a.arch);
  if (!feed) {
    throw new NotFound(
      `Nothing is published at ${shown(a.slug)} for ${shown(a.target)}/${shown(a.arch)}${a.channel ? ` in channel ${shown(a.channel)}` : ''}`,
    );
  }
  return feed;
}

export interface TauriCheck extends FeedAddress {
  currentVersion: string;
  bundleType?: string;
  /** The device's rollout bucket, when the client sent a device id. */
  bucket?: number;
  /** The device id's hash, when the edge found the device pinned (`x-ota-pin`). */
  pin?: string;
}

export interface CheckAnswer {
  outcome: CheckOutcome;
  /** The file to offer when there is an update. */
  file?: FeedFile;
  /** Seconds the answer stays valid at the edge (a scheduled release may start sooner than the TTL). */
  maxAgeSeconds?: number;
}

/**
 * The Tauri update check: one read of the feed item, no writes. A partial rollout is offered to the
 * devices whose bucket is inside it; the bucket (not the device id) is part of the edge cache key,
 * so cached answers are shared only by devices that get the same answer. A private app's feed
 * says so, and the check then reads the presented download token's item too (`access`).
 */
export async function checkForUpdate(
  source: FeedSource,
  query: TauriCheck,
  access: Pick<DownloadAccess, 'admitAnswer'>,
  now = new Date(),
): Promise<CheckAnswer> {
  const currentVersion = parseVersion(query.currentVersion);
  if (!currentVersion) throw new Invalid(`${shown(query.currentVersion)} is not a semantic version`);
  if (query.bundleType !== undefined && !BUNDLE.test(query.bundleType))
    throw new Invalid(`bundle_type ${shown(query.bundleType)} is not a bundle type`);
  const bundle = query.bundleType === 'unknown' ? undefined : query.bundleType;
  let stored = await readFeed(source, query);
  // A pinned device: its pin is in every feed item of the app; a pin to another channel costs one more read.
  const pin = feedPin(stored, query.pin);
  if (pin?.c !== undefined && pin.c !== stored.channel) stored = await readFeed(source, { ...query, channel: pin.c });
  await access.admitAnswer(stored);
  const feed = withPackage(signedOnly(pin?.v === undefined ? stored : heldAt(stored, pin.v)), bundle);
  const outcome = checkFeed(feed, { currentVersion, now, inRollout: (release) => inRollout(query.bucket, release) });
  const change = nextScheduledChange(feed, now);
  const maxAgeSeconds = change ? (change.getTime() - now.getTime()) / 1000 : undefined;
  return {
    outcome,
    ...(outcome.kind === 'update' ? { file: pickFile(outcome.release, bundle) } : {}),
    ...(maxAgeSeconds !== undefined ? { maxAgeSeconds } : {}),
  };
}

/**
 * The feed as a device held at a version (its pin's `v`) sees it: nothing newer, and that version
 * even while it is a partial or halted rollout (its rollout does not apply to the pinned device).
 */
export function heldAt(feed: PlatformFeed, version: string): PlatformFeed {
  return {
    ...feed,
    releases: feed.releases.flatMap((release) => {
      const order = compareVersions(release.version, version);
      if (order > 0) return [];
      if (order < 0 || release.rollout === undefined) return [release];
      const { rollout: _rollout, ...everyone } = release;
      return [everyone];
    }),
  };
}

/** The pin a feed item carries for the device hash the edge forwarded (`x-ota-pin`), if any. */
export function feedPin(feed: Pick<PlatformFeed, 'pins'> | undefined, hash: string | undefined): FeedPin | undefined {
  return hash === undefined ? undefined : feed?.pins?.[hash];
}

/**
 * A client that names its bundle type (Tauri's `{{bundle_type}}`: deb, rpm, msi, …) can only install
 * that kind of package: it is offered the newest release that has one, never another kind. A
 * feed with none of that type at all (the app ships one package per platform, as SyncKit
 * uploads do) answers with its default files, as for a client that names none.
 */
export function withPackage(feed: PlatformFeed, bundle: string | undefined): PlatformFeed {
  if (bundle === undefined || !feed.releases.some((r) => r.files.some((f) => f.package === bundle))) return feed;
  return { ...feed, releases: feed.releases.filter((r) => r.files.some((f) => f.package === bundle)) };
}

/**
 * A Tauri client installs only a file whose minisign signature it verifies: an unsigned file is
 * never offered to it (the release stays in every other feed). A release with no signed file is
 * left out, so such a client is offered the newest signed release instead, or nothing.
 */
export function signedOnly(feed: PlatformFeed): PlatformFeed {
  if (feed.releases.every((r) => r.files.every((f) => f.signature))) return feed;
  const releases = feed.releases.flatMap((r) => {
    const files = r.files.filter((f) => f.signature);
    return files.length > 0 ? [{ ...r, files }] : [];
  });
  return { ...feed, releases };
}

/** The newest release offered to every client of a feed (for public "latest" download links). */
export function latestRelease(feed: PlatformFeed, now = new Date()): FeedRelease | undefined {
  const outcome = checkFeed(feed, { currentVersion: '0.0.0-0', now, inRollout: () => false });
  return outcome.kind === 'empty' ? undefined : outcome.latest;
}
