import { Invalid, NotFound, shown } from '../domain/errors.js';
import { checkFeed, type FeedFile, type FeedRelease, nextScheduledChange, type PlatformFeed, pickFile } from '../domain/feed.js';
import { SPARKLE_DELTA, VELOPACK_DELTA } from '../domain/packages.js';
import { publicPaths } from '../domain/public-paths.js';
import { slugProblem } from '../domain/slug.js';
import { archTarget } from '../domain/targets.js';
import { compareVersions, parseDottedVersion } from '../domain/version.js';
import { ELECTRON_ARCH } from '../protocols/electron-arch.js';
import { type ElectronFile, type ElectronRelease, parseElectronFeedName } from '../protocols/electron-feed-name.js';
import { servedFileName } from '../protocols/file-names.js';
import type { AppcastItem } from '../protocols/sparkle.js';
import { renderSquirrelMac, type SquirrelMacUpdate } from '../protocols/squirrel-mac.js';
import { renderReleases } from '../protocols/squirrel-windows.js';
import { renderTauriStatic, type TauriStaticFeed } from '../protocols/tauri-static.js';
import {
  parseVelopackPackageName,
  renderVelopackFeed,
  type VelopackAsset,
  velopackPackageName,
  velopackTarget,
} from '../protocols/velopack.js';
import { DEFAULT_CHANNEL_ALIAS } from '../storage/keys.js';
import type { DownloadAccess } from './download-access.js';
import { feedPin, heldAt, latestRelease, signedOnly, withPackage } from './update-check.js';

/** What the feeds read: one feed item, or every feed of a channel (one query). */
export interface FeedReader {
  read(slug: string, channel: string, platform: string, arch: string): Promise<PlatformFeed | undefined>;
  channelFeeds(slug: string, channel: string): Promise<PlatformFeed[]>;
}

/** The private-app door of one request: admits a private app's feeds, and says what its links must carry. */
export type FeedAccess = Pick<DownloadAccess, 'admitAnswer' | 'linkQuery'>;

/** The door of a request that can only reach public apps' feeds. */
const PUBLIC_ONLY: FeedAccess = { admitAnswer: async () => {}, linkQuery: () => '' };

/** A rendered feed and how long the edge may keep it (shorter when a scheduled release starts sooner). */
export interface Rendered<T> {
  body: T;
  maxAgeSeconds?: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/**
 * Sparkle phases a staged release itself: 7 groups of installs, one more every interval from the
 * release's pubDate. A day per group spreads a staged release over a week.
 */
const SPARKLE_PHASE_SECONDS = 86_400;

/** The platform names the stock updaters' feeds map to (the built-in catalog entries). */
const MAC = 'darwin';

/**
 * The feeds stock updaters read, all generated from the published feed items (never uploaded by
 * hand): Tauri's static JSON, electron-updater's YAML, Squirrel.Mac's JSON and Sparkle's appcast.
 * Every URL inside is a download of ours (a 302 to the verified bytes, with their length). A
 * private app's feeds are admitted against the request's download token (`access`), and their
 * URLs carry the token when the client sent it in the query (it cannot send headers).
 */
export class FeedService {
  constructor(
    private readonly feeds: FeedReader,
    private readonly publicBaseUrl: string,
    private readonly now: () => Date = () => new Date(),
    private readonly access: FeedAccess = PUBLIC_ONLY,
  ) {}

  /**
   * Tauri's static `latest.json` of a channel, of signed files only (signedOnly). A static file has one version for every platform, so
   * it lists only the platforms whose newest release is that version: a platform behind is left
   * out rather than offered a false update (its clients get "no platform" until it catches up; the
   * dynamic endpoint answers per platform).
   */
  async tauriStatic(slug: string, channel: string, pin?: string): Promise<Rendered<TauriStaticFeed>> {
    // A pinned device (the edge forwarded its hash): its pinned channel, and nothing newer than its version.
    let read = await this.channel(slug, channel);
    const pinned = feedPin(read[0], pin);
    if (pinned?.c !== undefined && pinned.c !== read[0]?.channel) read = await this.channel(slug, pinned.c);
    const feeds = read.map((feed) => signedOnly(pinned?.v === undefined ? feed : heldAt(feed, pinned.v)));
    const latest = feeds.flatMap((feed) => {
      const release = latestRelease(feed, this.now());
      return release ? [{ feed, release }] : [];
    });
    const newest = latest.reduce<FeedRelease | undefined>(
      (best, { release }) => (!best || compareVersions(release.version, best.version) > 0 ? release : best),
      undefined,
    );
    if (!newest) throw new NotFound(`Nothing is published in channel ${shown(channel)}`);
    const platforms: TauriStaticFeed['platforms'] = {};
    for (const { feed, release } of latest) {
      if (compareVersions(release.version, newest.version) !== 0) continue;
      const key = `${feed.platform}-${feed.arch}`;
      const preferred = pickFile(release);
      if (preferred) platforms[key] = { url: this.fileUrl(slug, feed, release, preferred), signature: preferred.signature as string };
      for (const file of release.files)
        platforms[`${key}-${file.package}`] = { url: this.fileUrl(slug, feed, release, file), signature: file.signature as string };
    }
    return this.bounded(
      feeds,
      renderTauriStatic({ version: newest.version, notes: newest.notes ?? '', pubDate: newest.pubDate, platforms }),
    );
  }

  /**
   * What electron-updater's `{channel}[-mac|-linux[-arch]].yml` says (`latest` = the app's default
   * channel); the function renders it (protocols/electron.ts), so only it carries the YAML library.
   */
  async electron(slug: string, file: string): Promise<Rendered<ElectronRelease>> {
    const name = parseElectronFeedName(file);
    if (!name) throw new NotFound(`${shown(file)} is not an electron-updater feed file`);
    const channel = name.channel === 'latest' ? DEFAULT_CHANNEL_ALIAS : name.channel;
    const all = await this.channel(slug, channel, name.channel);
    const wanted = all.filter((feed) => {
      if (name.os === 'mac') return feed.platform === MAC;
      if (name.os === 'windows') return feed.platform === 'windows' && feed.arch === 'x86_64';
      return feed.platform === 'linux' && ELECTRON_ARCH[feed.arch] === name.linuxArch;
    });
    // What each arch offers: releases not halted and not scheduled ahead (a partial rollout too: the
    // client decides by its staging id). One yml has one version, so it is the newest that every
    // arch with releases offers: Intel Macs are never handed a file list without theirs.
    const now = this.now().getTime();
    const offered = wanted
      .map((feed) => ({ feed, releases: feed.releases.filter((r) => r.rollout !== 0 && (!r.publishAt || Date.parse(r.publishAt) <= now)) }))
      .filter(({ releases }) => releases.length > 0);
    const common = offered
      .map(({ releases }) => releases.map((r) => r.version))
      .reduce<string[] | undefined>((shared, versions) => (shared ? shared.filter((v) => versions.includes(v)) : versions), undefined);
    // Without a shared version (each arch's item starts at its own floor), the lagging arch's newest:
    // its files alone, which other Macs also run (MacUpdater falls back to the x64 build), never a false update.
    const version =
      common?.sort(compareVersions).pop() ?? offered.map(({ releases }) => (releases[0] as FeedRelease).version).sort(compareVersions)[0];
    const candidates = offered.flatMap(({ feed, releases }) => {
      const release = releases.find((r) => r.version === version);
      return release ? [{ feed, release }] : [];
    });
    const newest = candidates[0]?.release;
    if (!newest) throw new NotFound(`No ${name.os} release is published in channel ${shown(name.channel)}`);
    // A universal build is in both Mac arch feeds: listed once.
    const seen = new Set<string>();
    const files: ElectronFile[] = candidates.flatMap(({ feed, release }) =>
      release.files
        .filter((f) => !seen.has(f.artifactId) && seen.add(f.artifactId))
        .map((f) => ({ url: this.fileUrl(slug, feed, release, f), sha512: f.sha512, size: f.size })),
    );
    return this.bounded(wanted, {
      version: newest.version,
      releaseDate: newest.pubDate,
      ...(newest.notes ? { notes: newest.notes } : {}),
      ...(newest.rollout !== undefined ? { stagingPercentage: newest.rollout } : {}),
      files,
    });
  }

  /** Squirrel.Mac: the newest `.zip` newer than the client's version (200), or nothing to install (undefined → 204). */
  async squirrelMac(slug: string, channel: string, arch: string, currentVersion: string): Promise<Rendered<SquirrelMacUpdate | undefined>> {
    const current = parseDottedVersion(currentVersion);
    if (!current) throw new Invalid(`${shown(currentVersion)} is not a version`);
    const feed = await this.one(slug, channel, MAC, arch);
    // Squirrel.Mac installs only a zipped .app: other packages are never offered to it.
    if (!feed.releases.some((r) => r.files.some((f) => f.package === 'zip'))) return this.bounded([feed], undefined);
    const outcome = checkFeed(withPackage(feed, 'zip'), { currentVersion: current, now: this.now(), inRollout: () => false });
    if (outcome.kind !== 'update') return this.bounded([feed], undefined);
    const file = pickFile(outcome.release, 'zip') as FeedFile;
    return this.bounded(
      [feed],
      renderSquirrelMac({
        version: outcome.release.version,
        ...(outcome.release.notes ? { notes: outcome.release.notes } : {}),
        pubDate: outcome.release.pubDate,
        url: this.fileUrl(slug, feed, outcome.release, file),
      }),
    );
  }

  /**
   * Sparkle's appcast for macOS on one arch: every release offered to everyone now, newest first
   * (Sparkle picks the newest it may install; critical releases are marked). The function renders
   * the XML (protocols/sparkle.ts).
   */
  async sparkle(slug: string, channel: string, arch: string): Promise<Rendered<{ title: string; items: AppcastItem[] }>> {
    const feed = await this.one(slug, channel, MAC, arch);
    const now = this.now().getTime();
    const items: AppcastItem[] = feed.releases
      // A staged release goes out through Sparkle's own phases (it sends no device id); a halted one not at all.
      .filter((r) => r.rollout !== 0 && (!r.publishAt || Date.parse(r.publishAt) <= now))
      .flatMap((release) => {
        const file = release.files.find((f) => f.package === 'zip') ?? release.files.find((f) => f.package === 'dmg') ?? pickFile(release);
        if (!file) return [];
        const sparkleDeltas = (release.deltas ?? []).filter((d) => d.package === SPARKLE_DELTA && d.deltaFrom !== undefined);
        return [
          {
            version: release.version,
            pubDate: release.pubDate,
            ...(release.notes ? { notes: release.notes } : {}),
            ...(release.critical ? { critical: true } : {}),
            ...(criticalBelow(feed, release.version) ? { criticalBelow: criticalBelow(feed, release.version) } : {}),
            url: this.fileUrl(slug, feed, release, file),
            length: file.size,
            ...(file.edSignature ? { edSignature: file.edSignature } : {}),
            ...(release.rollout !== undefined ? { phasedRolloutInterval: SPARKLE_PHASE_SECONDS } : {}),
            ...(sparkleDeltas.length > 0
              ? {
                  deltas: sparkleDeltas.map((delta) => ({
                    from: delta.deltaFrom as string,
                    url: this.fileUrl(slug, feed, release, delta),
                    length: delta.size,
                    ...(delta.edSignature ? { edSignature: delta.edSignature } : {}),
                  })),
                }
              : {}),
          },
        ];
      });
    return this.bounded([feed], { title: `${slug} (${feed.channel})`, items });
  }

  /**
   * Squirrel.Windows' RELEASES for one arch: the full NuGet package of every release offered to
   * everyone now, oldest first (as Squirrel writes it), with absolute URLs Squirrel splits into
   * base URL and file name.
   */
  async squirrelWindows(slug: string, channel: string, arch: string): Promise<Rendered<string>> {
    const feed = await this.one(slug, channel, 'windows', arch);
    const now = this.now().getTime();
    const entries = feed.releases
      .filter((r) => r.rollout === undefined && (!r.publishAt || Date.parse(r.publishAt) <= now))
      .sort((a, b) => compareVersions(a.version, b.version))
      .flatMap((release) =>
        release.files
          .filter((f): f is FeedFile & { sha1: string } => f.package === 'nupkg' && f.sha1 !== undefined)
          .map((f) => ({
            sha1: f.sha1,
            size: f.size,
            url: this.fileUrl(slug, feed, release, f),
          })),
      );
    if (entries.length === 0) throw new NotFound(`No NuGet package is published for windows/${shown(arch)} in channel ${shown(channel)}`);
    return this.bounded([feed], renderReleases(entries));
  }

  /**
   * Velopack, at one base URL per channel: `releases.{velopack channel}.json` (win, osx, linux,
   * optionally `-x64`/`-arm64`/`-x86`) lists the full NuGet packages offered to everyone, and every
   * other name there is one of those packages (Velopack downloads `{base}/{FileName}`). Its
   * `localVersion`, `id` and `stagingId` query parameters are never part of the edge cache key.
   */
  async velopack(
    slug: string,
    channel: string,
    file: string,
  ): Promise<{ feed: Rendered<{ Assets: VelopackAsset[] }> } | { file: FeedFile }> {
    const velopackChannel = /^releases\.([A-Za-z0-9-]{1,20})\.json$/.exec(file)?.[1];
    const packageName = velopackChannel === undefined ? parseVelopackPackageName(slug, file) : undefined;
    const target = velopackTarget(velopackChannel ?? packageName?.channel ?? '');
    if (!target) throw new NotFound(`No ${shown(file)} here`);
    const feed = await this.one(slug, channel, target.platform, target.arch);
    const packages = this.velopackPackages(feed);
    if (packageName) {
      const found = packages.find(({ release }) => release.version === packageName.version);
      const served = packageName.type === 'Full' ? found?.file : found?.delta;
      if (!served) throw new NotFound(`No package ${shown(file)} is published in channel ${shown(channel)}`);
      return { file: served };
    }
    const asset = (release: FeedRelease, f: FeedFile, type: VelopackAsset['Type']): VelopackAsset => ({
      PackageId: slug,
      Version: release.version,
      Type: type,
      FileName: velopackPackageName(slug, release.version, velopackChannel as string, type),
      SHA1: (f.sha1 ?? '').toUpperCase(),
      SHA256: f.sha256.toUpperCase(),
      Size: f.size,
      NotesMarkdown: release.notes ?? '',
    });
    const assets = packages.flatMap(({ release, file: f, delta }) => [
      asset(release, f, 'Full'),
      ...(delta ? [asset(release, delta, 'Delta')] : []),
    ]);
    if (assets.length === 0)
      throw new NotFound(`No NuGet package is published for ${target.platform}/${target.arch} in channel ${shown(channel)}`);
    return { feed: this.bounded([feed], renderVelopackFeed(assets)) };
  }

  /**
   * The full NuGet package of every release offered to everyone now, newest first, and its delta
   * package. Velopack applies, in version order, every delta above its installed version up to the
   * newest (it has no base version in the feed: a delta is from the release before it), so one delta
   * per version is listed: the one from the newest older version.
   */
  private velopackPackages(feed: PlatformFeed): { release: FeedRelease; file: FeedFile; delta?: FeedFile }[] {
    const now = this.now().getTime();
    return feed.releases
      .filter((r) => r.rollout === undefined && (!r.publishAt || Date.parse(r.publishAt) <= now))
      .flatMap((release) => {
        const file = release.files.find((f) => f.package === 'nupkg');
        const delta = (release.deltas ?? [])
          .filter((d) => d.package === VELOPACK_DELTA && d.deltaFrom !== undefined && d.sha1 !== undefined)
          .sort((a, b) => compareVersions(b.deltaFrom as string, a.deltaFrom as string))[0];
        return file ? [{ release, file, ...(delta ? { delta } : {}) }] : [];
      });
  }

  private async one(slug: string, channel: string, platform: string, arch: string): Promise<PlatformFeed> {
    this.validate(slug, channel);
    if (!NAME.test(arch)) throw new NotFound(`No arch ${shown(arch)} is published`);
    const feed = await this.feeds.read(slug, channel, platform, archTarget(arch));
    if (!feed) throw new NotFound(`Nothing is published at ${shown(slug)} for ${platform}/${shown(arch)} in channel ${shown(channel)}`);
    await this.access.admitAnswer(feed);
    return feed;
  }

  private async channel(slug: string, channel: string, shownAs = channel): Promise<PlatformFeed[]> {
    this.validate(slug, channel);
    const feeds = await this.feeds.channelFeeds(slug, channel);
    if (feeds.length === 0) throw new NotFound(`No channel ${shown(shownAs)} is published at ${shown(slug)}`);
    // One channel of one app: the token is read once for all of them.
    await Promise.all(feeds.map((feed) => this.access.admitAnswer(feed)));
    return feeds;
  }

  private validate(slug: string, channel: string): void {
    if (slugProblem(slug)) throw new NotFound(`No app is published at ${shown(slug)}`);
    if (channel !== DEFAULT_CHANNEL_ALIAS && !NAME.test(channel)) throw new NotFound(`No channel ${shown(channel)} is published`);
  }

  /** A download URL whose last segment is the file's one served name (protocols/file-names.ts). */
  private fileUrl(slug: string, feed: PlatformFeed, release: FeedRelease, file: FeedFile): string {
    const name = servedFileName(slug, release.version, feed.platform, file.arch ?? feed.arch, file.package, file.deltaFrom);
    const token = this.access.linkQuery();
    return `${this.publicBaseUrl}${publicPaths.file(slug, release.id, file.artifactId, name)}${token ? `?${token}` : ''}`;
  }

  private bounded<T>(feeds: PlatformFeed[], body: T): Rendered<T> {
    const changes = feeds.map((f) => nextScheduledChange(f, this.now())).filter((d): d is Date => d !== undefined);
    if (changes.length === 0) return { body };
    return { body, maxAgeSeconds: (Math.min(...changes.map((d) => d.getTime())) - this.now().getTime()) / 1000 };
  }
}

/** The newest critical version below `version` in a feed (its releases and the critical versions under its floor). */
function criticalBelow(feed: PlatformFeed, version: string): string | undefined {
  const critical = [...feed.releases.filter((r) => r.critical).map((r) => r.version), ...feed.criticalBelow];
  return critical
    .filter((v) => compareVersions(v, version) < 0)
    .sort(compareVersions)
    .pop();
}
