import { ENV, optionalEnv, requireEnv } from '../config/env.js';
import type { PresentedToken } from '../domain/download-token.js';
import { leanGrantLookup } from '../storage/download-token-item.js';
import { LeanFeedReader } from '../storage/lean-feed-reader.js';
import { LeanObjectLinks } from '../storage/lean-object-links.js';
import { DownloadAccess } from './download-access.js';
import { configuredDelivery, type FileDelivery } from './download-service.js';
import { FeedService } from './feed-service.js';

/**
 * The feed functions' root. Apart from the container because feeds are public, edge-cached and
 * cold-started more than any management route: they read with the lean reader's signed GetItem and
 * Query and presign with the lean signer, and load no SDK client (`npm run bench` measures them).
 */
let reader: LeanFeedReader | undefined;
let delivery: FileDelivery | undefined;

function feedReader(): LeanFeedReader {
  reader ??= new LeanFeedReader(requireEnv(ENV.tableName));
  return reader;
}

/** The private-app door of one feed request: its download token, read with one GetItem if an answer needs it. */
export function feedAccess(presented: PresentedToken | undefined): DownloadAccess {
  return new DownloadAccess(leanGrantLookup(feedReader()), presented);
}

/** The feed service of one request (its private-app door decides what it may answer). */
export function feedService(access: DownloadAccess): FeedService {
  return new FeedService(feedReader(), publicBaseUrl(), undefined, access);
}

function publicBaseUrl(): string {
  return requireEnv(ENV.publicBaseUrl).replace(/\/+$/, '');
}

/** Where a feed's files are downloaded from (Velopack asks the feed's base URL for its packages); only its function has the bucket's name. */
export function fileDelivery(): FileDelivery {
  delivery ??= {
    delivery: configuredDelivery(optionalEnv(ENV.artifactDelivery)),
    publicBaseUrl: publicBaseUrl(),
    links: new LeanObjectLinks(requireEnv(ENV.bucketName)),
  };
  return delivery;
}
