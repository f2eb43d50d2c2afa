import { channelClosure } from '../domain/catalog.js';
import { NotFound, shown } from '../domain/errors.js';
import { type FeedFile, type FeedRelease, nextScheduledChange, pickFile } from '../domain/feed.js';
import { feedFile } from '../domain/feed-builder.js';
import { type FileLink, fileLinkId, linkOffered, MAX_FILE_NAME, slugFileLinkId } from '../domain/file-link.js';
import { isId } from '../domain/ids.js';
import { type App, releaseChannels } from '../domain/model.js';
import { isCompanion, packageRank } from '../domain/packages.js';
import { slugProblem } from '../domain/slug.js';
import { targetOf } from '../domain/targets.js';
import type { AppRepository } from '../storage/app-repository.js';
import type { ArtifactStore } from '../storage/artifact-store.js';
import type { CatalogRepository } from '../storage/catalog-repository.js';
import type { FeedRepository } from '../storage/feed-repository.js';
import type { ReleaseRepository } from '../storage/release-repository.js';
import type { DownloadAccess } from './download-access.js';
import { type FeedAddress, latestRelease, parseFeedAddress, readFeed } from './update-check.js';

/**
 * How a public app's artifact bytes reach clients: from CloudFront (cloud) or a presigned S3 URL
 * (local). A private app's bytes are always a short-lived presigned URL.
 */
export type ArtifactDelivery = 'edge' | 'presigned';

/** What the download service reads and signs with. */
export interface DownloadDeps {
  feeds: Pick<FeedRepository, 'read' | 'claim'>;
  links: FileLinks;
  catalogs: Pick<CatalogRepository, 'get' | 'all'>;
  releases: Pick<ReleaseRepository, 'getWithArtifacts'>;
  apps: Pick<AppRepository, 'get'>;
  store: Pick<ArtifactStore, 'presignDownload'>;
  delivery: ArtifactDelivery;
  publicBaseUrl: string;
}

/** The download links by what a link's path carries (file-link.ts): one GetItem each. */
export interface FileLinks {
  slugLink(slug: string, linkId: string): Promise<FileLink | undefined>;
  appLink(appId: string, linkId: string): Promise<FileLink | undefined>;
}

export interface Located {
  location: string;
  /** False for presigned URLs, which expire (and for every private app's file). */
  cacheable: boolean;
  /** Seconds until the answer may change on its own (a scheduled release starts), when sooner than the edge TTL. */
  maxAgeSeconds?: number;
}

const BUNDLE = /^[a-z0-9][a-z0-9.+_-]{0,23}$/;

/**
 * Resolves public download paths to where the verified bytes are. A private app's files are
 * admitted against the request's download token first (`access`), and then answered with a
 * presigned URL that expires within minutes: SigV4 in the query, only `host` signed, so the
 * client's own headers (Tauri forwards its configured ones) do not break it.
 */
export class DownloadService {
  private readonly feeds: DownloadDeps['feeds'];
  private readonly links: FileLinks;
  private readonly catalogs: DownloadDeps['catalogs'];
  private readonly releases: DownloadDeps['releases'];
  private readonly apps: DownloadDeps['apps'];
  private readonly store: DownloadDeps['store'];
  private readonly delivery: ArtifactDelivery;
  private readonly publicBaseUrl: string;

  constructor(
    deps: DownloadDeps,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.feeds = deps.feeds;
    this.links = deps.links;
    this.catalogs = deps.catalogs;
    this.releases = deps.releases;
    this.apps = deps.apps;
    this.store = deps.store;
    this.delivery = deps.delivery;
    this.publicBaseUrl = deps.publicBaseUrl;
  }

  /**
   * One release's artifact for a platform/arch (and package): 404 unless it is published,
   * offered now and verified. The newest releases are in the feed item (one read); older ones
   * are read from the release's records.
   */
  async release(address: FeedAddress, releaseId: string, pkg: string | undefined, access: DownloadAccess): Promise<Located> {
    const a = parseFeedAddress(address);
    if (!isId(releaseId)) throw new NotFound(`Release ${shown(releaseId)} not found`);
    if (pkg !== undefined && !BUNDLE.test(pkg)) throw new NotFound(`No ${shown(pkg)} package in this release`);
    const feed = await this.feeds.read(a.slug, a.channel, a.target, a.arch);
    // A scheduled release is not downloadable before its time, even by id.
    const inFeed = feed?.releases.find((r) => r.id === releaseId && !(r.publishAt && Date.parse(r.publishAt) > this.now().getTime()));
    if (feed && inFeed) await access.admitAnswer(feed);
    const file = feed && inFeed ? choose(inFeed, pkg) : await this.fromRecords(a.slug, a.target, a.arch, releaseId, pkg, access);
    if (!file)
      throw new NotFound(
        `No verified ${pkg ? `${shown(pkg)} ` : ''}artifact for ${shown(a.target)}/${shown(a.arch)} in release ${releaseId}`,
      );
    return this.locate(file, access);
  }

  /** The newest release every client of the channel may have, for a website's download link. */
  async latest(address: FeedAddress, pkg: string | undefined, access: DownloadAccess): Promise<Located> {
    if (pkg !== undefined && !BUNDLE.test(pkg)) throw new NotFound(`No ${shown(pkg)} package is published`);
    const feed = await readFeed(this.feeds, address);
    await access.admitAnswer(feed);
    const release = latestRelease(feed, this.now());
    const file = release && choose(release, pkg);
    if (!file)
      throw new NotFound(`No release is published for ${shown(address.target)}/${shown(address.arch)}${pkg ? ` as ${shown(pkg)}` : ''}`);
    const change = nextScheduledChange(feed, this.now());
    const located = await this.locate(file, access);
    return change ? { ...located, maxAgeSeconds: (change.getTime() - this.now().getTime()) / 1000 } : located;
  }

  /**
   * A verified file by its release and artifact ids, under a name the link answers (the links
   * feeds hand out): one read, the link under the slug keyed by the ids and the asked name. An
   * installer's link also answers its blockmap's name (`<name>.blockmap`) and the blockmap names
   * of the older versions electron-updater derives from it (file-links.ts). 404 for any other name,
   * and unless the release is published and offered now.
   */
  async file(slug: string, releaseId: string, artifactId: string, fileName: string, access: DownloadAccess): Promise<Located> {
    if (slugProblem(slug) || !isId(releaseId) || !isId(artifactId) || !fileName || fileName.length > MAX_FILE_NAME) {
      throw new NotFound('No such file');
    }
    const link = await this.links.slugLink(slug, slugFileLinkId(releaseId, artifactId, fileName));
    if (!link) throw new NotFound('No such file');
    await admitLink(access, link);
    if (!linkOffered(link, this.now())) throw new NotFound('No such file');
    return this.locate(link.file, access);
  }

  /**
   * A verified file of a published release by app id (the faynoSync and Koolbase faces' links, for
   * apps with no slug): one read, the file's link under the app. The ids decide the bytes; the
   * name only labels them for the client, so it must merely end in the file's extension. 404
   * unless published, offered now and verified. `tokenRequired` (faynoSync's `/download` reached
   * with a download token): the token must open the app even when it is public, and the answer is
   * always presigned.
   */
  async appFile(
    appId: string,
    releaseId: string,
    artifactId: string,
    fileName: string,
    access: DownloadAccess,
    tokenRequired = false,
  ): Promise<Located> {
    if (!isId(appId) || !isId(releaseId) || !isId(artifactId) || fileName.length > MAX_FILE_NAME) throw new NotFound('No such file');
    const link = await this.links.appLink(appId, fileLinkId(releaseId, artifactId));
    if (!link) throw new NotFound('No such file');
    await admitLink(access, link, tokenRequired);
    const pkg = link.file.package;
    const named = pkg === 'none' || fileName.toLowerCase().endsWith(`.${pkg}`);
    if (!linkOffered(link, this.now()) || !named) throw new NotFound('No such file');
    return this.locate(link.file, access);
  }

  private async fromRecords(
    slug: string,
    target: string,
    arch: string,
    releaseId: string,
    pkg: string | undefined,
    access: DownloadAccess,
  ): Promise<FeedFile | undefined> {
    const claim = await this.feeds.claim(slug);
    if (!claim) throw new NotFound(`No app is published at ${shown(slug)}`);
    const [app, catalog, found] = await Promise.all([
      this.apps.get(claim.appId),
      this.catalogs.all(claim.ownerId),
      this.releases.getWithArtifacts(claim.appId, releaseId),
    ]);
    await this.admitRelease(access, app, found?.release && releaseChannels(found.release));
    const release = found?.release;
    if (release?.status !== 'published') return undefined;
    if (release.publishAt && Date.parse(release.publishAt) > this.now().getTime()) return undefined;
    // The entries that mean the addressed target (targets.ts), as the feeds group them.
    const platforms = new Set(catalog.platforms.filter((p) => targetOf(p) === target).map((p) => p.id));
    const archs = new Set(catalog.archs.filter((x) => targetOf(x) === arch).map((x) => x.id));
    // Verified files only (feedFile), best package first, as the feeds rank them.
    return (
      (found?.artifacts ?? [])
        // A blockmap or delta is never the download of a release; only asked for by its package.
        .filter(
          (x) => platforms.has(x.platformId) && archs.has(x.archId) && (pkg === undefined ? !isCompanion(x.package) : x.package === pkg),
        )
        .sort((x, y) => packageRank(x.package) - packageRank(y.package) || x.id.localeCompare(y.id))
        .map((x) => feedFile(x, release))
        .find((file) => file !== undefined)
    );
  }

  /**
   * Admits a release's file of a private app: a token limited to one channel opens the releases
   * that channel offers, its own and those of the channels it follows. A release that does not
   * exist is left to the caller's 404.
   */
  private async admitRelease(
    access: DownloadAccess,
    app: App | undefined,
    releaseChannelIds: readonly string[] | undefined,
    tokenRequired = false,
  ): Promise<void> {
    if (!app) return;
    await access.admit(app.id, app.private === true || tokenRequired, async (tokenChannel) => {
      if (releaseChannelIds === undefined) return true;
      const { channels } = await this.catalogs.all(app.ownerId);
      const opened = channelClosure(tokenChannel, new Map(channels.map((c) => [c.id, c])));
      return releaseChannelIds.some((id) => opened.has(id));
    });
  }

  private locate(file: FeedFile, access: DownloadAccess): Promise<Located> {
    return locateFile(file, access, { delivery: this.delivery, publicBaseUrl: this.publicBaseUrl, links: this.store });
  }
}

/** Where a function sends a verified file's clients, and what presigns its private links. */
export interface FileDelivery {
  delivery: ArtifactDelivery;
  publicBaseUrl: string;
  links: Pick<ArtifactStore, 'presignDownload'>;
}

/** The delivery this deployment configured (`edge` unless the local stack says `presigned`). */
export function configuredDelivery(value: string | undefined): ArtifactDelivery {
  const delivery = value ?? 'edge';
  if (delivery !== 'edge' && delivery !== 'presigned') throw new Error(`artifact delivery must be edge or presigned, not ${delivery}`);
  return delivery;
}

/** The location of one verified file for a request (`access` says whether its answer was a private app's). */
export async function locateFile(file: FeedFile, access: { readonly isPrivate: boolean }, where: FileDelivery): Promise<Located> {
  // A private app's bytes are never on the public edge path: a presigned URL that expires.
  if (where.delivery === 'presigned' || access.isPrivate) {
    return { location: await where.links.presignDownload(file.key, file.versionId), cacheable: false };
  }
  // CloudFront serves `/ota/*` from the bucket; the version in the URL pins the verified bytes.
  const version = file.versionId ? `?versionId=${encodeURIComponent(file.versionId)}` : '';
  return { location: `${where.publicBaseUrl}/${file.key}${version}`, cacheable: true };
}

/** Admits a link's file: a private app's needs a token that opens the app, and a channel-limited one a channel the release is offered in. */
function admitLink(access: DownloadAccess, link: FileLink, tokenRequired = false): Promise<void> {
  return access.admit(link.appId, link.private === true || tokenRequired, (channelId) => link.channels.includes(channelId));
}

/** An exact package when one is asked for, else the platform/arch's default file. */
function choose(release: FeedRelease, pkg?: string): FeedFile | undefined {
  return pkg === undefined ? pickFile(release) : release.files.find((f) => f.package === pkg);
}
