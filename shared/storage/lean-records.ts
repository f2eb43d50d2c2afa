import type { CatalogEntry, CatalogKind } from '../domain/catalog.js';
import type { PlatformFeed } from '../domain/feed.js';
import type { FileLink } from '../domain/file-link.js';
import type { App, Artifact, Release } from '../domain/model.js';
import { appFromItem, type SlugClaim, slugClaimFrom } from './app-item.js';
import { catalogFromItem, type OwnerCatalog, ownerCatalogFrom } from './catalog-item.js';
import { decodeLink, LINK_ATTRIBUTE } from './file-link-item.js';
import { keys } from './keys.js';
import type { LeanFeedReader } from './lean-feed-reader.js';
import { releaseWithArtifactsFrom } from './release-item.js';

/**
 * The records the public download paths read (a file's download link, a slug's claim, an app, a release with its artifacts,
 * an owner's catalog), through the lean reader's signed requests and the repositories' own item
 * codecs: the same reads and answers as the repositories, without the SDK's DynamoDB client.
 */
export class LeanRecords {
  constructor(private readonly reader: LeanFeedReader) {}

  read(slug: string, channel: string, platform: string, arch: string): Promise<PlatformFeed | undefined> {
    return this.reader.read(slug, channel, platform, arch);
  }

  /** A published file's download link under a slug: the `/files/<slug>/…` paths' one GetItem. */
  async slugLink(slug: string, linkId: string): Promise<FileLink | undefined> {
    return decodeLink((await this.reader.getItem(keys.slugFileLink(slug, linkId), [LINK_ATTRIBUTE]))?.[LINK_ATTRIBUTE]?.S);
  }

  /** A published file's download link under its app: the by-app-id paths' one GetItem. */
  async appLink(appId: string, linkId: string): Promise<FileLink | undefined> {
    return decodeLink((await this.reader.getItem(keys.appFileLink(appId, linkId), [LINK_ATTRIBUTE]))?.[LINK_ATTRIBUTE]?.S);
  }

  async claim(slug: string): Promise<SlugClaim | undefined> {
    return slugClaimFrom(await this.reader.document(keys.slug(slug), false));
  }

  async get(appId: string): Promise<App | undefined> {
    const item = await this.reader.document(keys.app(appId));
    return item ? appFromItem(item) : undefined;
  }

  async getWithArtifacts(appId: string, releaseId: string): Promise<{ release: Release; artifacts: Artifact[] } | undefined> {
    return releaseWithArtifactsFrom(await this.reader.documents(keys.appCollection(appId), keys.releaseWithArtifacts(releaseId)));
  }

  async entry(ownerId: string, kind: CatalogKind, id: string): Promise<CatalogEntry | undefined> {
    const item = await this.reader.document(keys.catalogEntry(ownerId, kind, id));
    return item ? catalogFromItem(item) : undefined;
  }

  async catalog(ownerId: string): Promise<OwnerCatalog> {
    return ownerCatalogFrom(await this.reader.documents(keys.ownerCollection(ownerId), keys.catalogAll));
  }
}
