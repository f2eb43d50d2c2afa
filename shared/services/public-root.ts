import { ENV, optionalEnv, requireEnv } from '../config/env.js';
import type { PresentedToken } from '../domain/download-token.js';
import { leanGrantLookup } from '../storage/download-token-item.js';
import { LeanFeedReader } from '../storage/lean-feed-reader.js';
import { LeanObjectLinks } from '../storage/lean-object-links.js';
import { LeanRecords } from '../storage/lean-records.js';
import { DownloadAccess } from './download-access.js';
import { configuredDelivery, DownloadService, type FileDelivery } from './download-service.js';
import { FeedService } from './feed-service.js';

/**
 * The root of the public paths that are not checks: the feeds and the downloads. Apart from the
 * container because they are public, edge-cached and cold-started more than any management route:
 * they read with the lean reader's signed GetItem and Query and presign with the lean signer, and
 * load no SDK client (`npm run bench` measures them).
 */
let reader: LeanFeedReader | undefined;
let delivery: FileDelivery | undefined;
let downloads: DownloadService | undefined;

function tableReader(): LeanFeedReader {
  reader ??= new LeanFeedReader(requireEnv(ENV.tableName));
  return reader;
}

function publicBaseUrl(): string {
  return requireEnv(ENV.publicBaseUrl).replace(/\/+$/, '');
}

/** The private-app door of one public request: its download token, read with one GetItem if an answer needs it. */
export function publicAccess(presented: PresentedToken | undefined): DownloadAccess {
  return new DownloadAccess(leanGrantLookup(tableReader()), presented);
}

/** The feed service of one request (its private-app door decides what it may answer). */
export function feedService(access: DownloadAccess): FeedService {
  return new FeedService(tableReader(), publicBaseUrl(), undefined, access);
}

/** Where files are downloaded from; only the functions that hand out files have the bucket's name. */
export function fileDelivery(): FileDelivery {
  delivery ??= {
    delivery: configuredDelivery(optionalEnv(ENV.artifactDelivery)),
    publicBaseUrl: publicBaseUrl(),
    links: new LeanObjectLinks(requireEnv(ENV.bucketName)),
  };
  return delivery;
}

/** The download paths' service, over the lean records (the repositories' reads and codecs, without the SDK). */
export function downloadService(): DownloadService {
  if (!downloads) {
    const records = new LeanRecords(tableReader());
    const { delivery: mode, publicBaseUrl: base, links } = fileDelivery();
    downloads = new DownloadService({
      feeds: records,
      links: records,
      apps: records,
      releases: records,
      catalogs: { get: (ownerId, kind, id) => records.entry(ownerId, kind, id), all: (ownerId) => records.catalog(ownerId) },
      store: links,
      delivery: mode,
      publicBaseUrl: base,
    });
  }
  return downloads;
}
