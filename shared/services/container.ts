import { cloudFrontClient } from '../clients/cloudfront.js';
import { dynamoDocumentClient } from '../clients/dynamodb.js';
import { s3Client } from '../clients/s3.js';
import { ENV, optionalEnv, requireEnv } from '../config/env.js';
import { AppRepository } from '../storage/app-repository.js';
import { ArtifactStore } from '../storage/artifact-store.js';
import { EdgeCache } from '../storage/edge-cache.js';
import { FeedRepository } from '../storage/feed-repository.js';
import { ReleaseRepository } from '../storage/release-repository.js';
import { AppService } from './app-service.js';
import { ArtifactService } from './artifact-service.js';
import { type ArtifactDelivery, DownloadService } from './download-service.js';
import { FeedPublisher } from './feed-publisher.js';
import { ReleaseService } from './release-service.js';

export interface Services {
  apps: AppService;
  releases: ReleaseService;
  artifacts: ArtifactService;
  downloads: DownloadService;
}

let services: Services | undefined;

/** The composition root: clients and services built once per container from the environment. */
export function getServices(): Services {
  services ??= buildServices();
  return services;
}

function buildServices(): Services {
  const db = dynamoDocumentClient();
  const table = requireEnv(ENV.tableName);
  const distributionId = optionalEnv(ENV.distributionId);
  const delivery = (optionalEnv(ENV.artifactDelivery) ?? 'edge') as ArtifactDelivery;
  if (delivery !== 'edge' && delivery !== 'presigned') throw new Error(`${ENV.artifactDelivery} must be edge or presigned`);

  const appRepository = new AppRepository(db, table);
  const releaseRepository = new ReleaseRepository(db, table);
  const feedRepository = new FeedRepository(db, table);
  const store = new ArtifactStore(s3Client(), requireEnv(ENV.bucketName));
  const edge = new EdgeCache(distributionId ? cloudFrontClient() : undefined, distributionId);
  const publisher = new FeedPublisher(releaseRepository, feedRepository, edge);
  const apps = new AppService(appRepository, releaseRepository, store, publisher, edge);
  const artifacts = new ArtifactService(apps, releaseRepository, store, publisher);
  return {
    apps,
    releases: new ReleaseService(apps, releaseRepository, store, publisher),
    artifacts,
    downloads: new DownloadService(feedRepository, artifacts, store, delivery),
  };
}
