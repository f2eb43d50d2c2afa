import { dynamoDocumentClient } from '../clients/dynamodb.js';
import { s3Client } from '../clients/s3.js';
import { DEFAULT_AUDIT_RETENTION_DAYS, ENV, optionalEnv, requireEnv, slugHoldDays } from '../config/env.js';
import type { ResourceReader } from '../domain/access.js';
import type { PresentedToken } from '../domain/download-token.js';
import { AppRepository } from '../storage/app-repository.js';
import { ArtifactStore } from '../storage/artifact-store.js';
import { AuditRepository } from '../storage/audit-repository.js';
import { CatalogRepository } from '../storage/catalog-repository.js';
import { DownloadTokenRepository } from '../storage/download-token-repository.js';
import { FaynoViewRepository } from '../storage/fayno-view-repository.js';
import { FeedRepository } from '../storage/feed-repository.js';
import { InstallReportRepository } from '../storage/install-report-repository.js';
import { JobRepository } from '../storage/job-repository.js';
import { KoolbaseRepository } from '../storage/koolbase-repository.js';
import { ObjectTags } from '../storage/object-tags.js';
import { OutboxRepository } from '../storage/outbox-repository.js';
import { ReleaseRepository } from '../storage/release-repository.js';
import { TelemetryRepository } from '../storage/telemetry-repository.js';
import { AppService } from './app-service.js';
import { ArtifactPrivacy } from './artifact-privacy.js';
import { ArtifactService } from './artifact-service.js';
import { CatalogService } from './catalog-service.js';
import { DeletionService } from './deletion-service.js';
import { DevicePinService } from './device-pin-service.js';
import { DownloadAccess } from './download-access.js';
import { configuredDelivery, DownloadService } from './download-service.js';
import { DownloadTokenService } from './download-token-service.js';
import { FeedChanges } from './feed-changes.js';
import { FeedPublisher } from './feed-publisher.js';
import { InstallReports } from './install-reports.js';
import { DEFAULT_JOB_LIMITS, type JobLimits, JobService } from './job-service.js';
import { revokeKoolbaseKeys } from './koolbase-service.js';
import { ReleaseService } from './release-service.js';
import { ReleaseUploads } from './release-uploads.js';
import { TelemetryService } from './telemetry-service.js';

/**
 * The composition root: clients, repositories and services, each built on first use and kept for
 * the container's life. Every getter is a plain function, so a bundle holds only what its
 * handler calls (a route that never touches S3 carries no S3 client).
 */
const built = new Map<string, unknown>();

function once<T>(name: string, make: () => T): T {
  if (!built.has(name)) built.set(name, make());
  return built.get(name) as T;
}

function table(): string {
  return requireEnv(ENV.tableName);
}

export function appRepository(): AppRepository {
  return once('apps', () => new AppRepository(dynamoDocumentClient(), table(), slugHoldDays()));
}

export function catalogRepository(): CatalogRepository {
  return once('catalogs', () => new CatalogRepository(dynamoDocumentClient(), table()));
}

export function releaseRepository(): ReleaseRepository {
  return once('releases', () => new ReleaseRepository(dynamoDocumentClient(), table()));
}

export function feedRepository(): FeedRepository {
  return once('feeds', () => new FeedRepository(dynamoDocumentClient(), table()));
}

export function outboxRepository(): OutboxRepository {
  return once('outbox', () => new OutboxRepository(dynamoDocumentClient(), table()));
}

export function faynoViewRepository(): FaynoViewRepository {
  return once('faynoViews', () => new FaynoViewRepository(dynamoDocumentClient(), table()));
}

export function telemetryRepository(): TelemetryRepository {
  return once('telemetry', () => new TelemetryRepository(dynamoDocumentClient(), table()));
}

/** What the owner sees of telemetry. */
export function telemetryService(): TelemetryService {
  return once('telemetryService', () => new TelemetryService(appRepository(), catalogRepository(), telemetryRepository()));
}

export function artifactStore(): ArtifactStore {
  return once('store', () => new ArtifactStore(s3Client(), requireEnv(ENV.bucketName)));
}

/** What the authorization decision reads. */
export function resourceReader(): ResourceReader {
  return once('reader', () => ({
    app: (appId: string) => appRepository().get(appId),
    catalogEntry: (ownerId, kind, id) => catalogRepository().get(ownerId, kind, id),
  }));
}

export function feedPublisher(): FeedPublisher {
  return once(
    'publisher',
    () =>
      new FeedPublisher(
        appRepository(),
        catalogRepository(),
        releaseRepository(),
        feedRepository(),
        outboxRepository(),
        faynoViewRepository(),
      ),
  );
}

/** The services' feed changes: rebuilt once per app at the end of the request's unit of work (feed-changes.ts). */
export function feedChanges(): FeedChanges {
  return once('feedChanges', () => new FeedChanges(feedPublisher()));
}

export function catalogService(): CatalogService {
  return once('catalogService', () => new CatalogService(catalogRepository(), appRepository(), jobService()));
}

/** Apps, for the routes that never change an app's privacy (no S3 client in their bundles). */
export function appService(): AppService {
  return once('appService', () => new AppService(appRepository(), catalogRepository(), feedChanges(), undefined));
}

/** Apps, for the routes that may make an app private or public (they retag its objects). */
export function appServiceWithPrivacy(): AppService {
  return once('appServiceWithPrivacy', () => new AppService(appRepository(), catalogRepository(), feedChanges(), jobServiceWithPrivacy()));
}

export function jobRepository(): JobRepository {
  return once('jobs', () => new JobRepository(dynamoDocumentClient(), table()));
}

/** A step's size: the defaults, or `OTA_JOB_OBJECTS` / `OTA_JOB_APPS` (small ones make the local tests take several steps). */
function jobLimits(): JobLimits {
  const objects = Number(optionalEnv(ENV.jobObjectsPerStep) ?? DEFAULT_JOB_LIMITS.objects);
  const apps = Number(optionalEnv(ENV.jobAppsPerStep) ?? DEFAULT_JOB_LIMITS.apps);
  if (!(objects >= 1 && apps >= 1)) throw new Error('job step sizes must be positive numbers');
  return { objects, apps };
}

/** Background jobs for routes and the worker that may retag objects (the S3 client in their bundles). */
export function jobServiceWithPrivacy(): JobService {
  return once(
    'jobServiceWithPrivacy',
    () => new JobService(jobRepository(), appRepository(), feedChanges(), artifactPrivacy(), jobLimits()),
  );
}

/** Background jobs for routes that start only feed rebuilds (catalog changes) and the status route: no S3 client. */
export function jobService(): JobService {
  return once('jobService', () => new JobService(jobRepository(), appRepository(), feedChanges(), undefined, jobLimits()));
}

export function downloadTokenRepository(): DownloadTokenRepository {
  return once('downloadTokens', () => new DownloadTokenRepository(dynamoDocumentClient(), table()));
}

export function downloadTokenService(): DownloadTokenService {
  return once('downloadTokenService', () => new DownloadTokenService(downloadTokenRepository(), catalogRepository()));
}

/** The private-app door of one public request, given the download token it presented. */
export function downloadAccess(presented: PresentedToken | undefined): DownloadAccess {
  return new DownloadAccess(downloadTokenRepository(), presented);
}

/** Keeps a private app's verified objects off the public edge path (their `private` tag). */
export function artifactPrivacy(): ArtifactPrivacy {
  return once(
    'artifactPrivacy',
    () => new ArtifactPrivacy(appRepository(), releaseRepository(), new ObjectTags(s3Client(), requireEnv(ENV.bucketName))),
  );
}

export function releaseService(): ReleaseService {
  return once('releaseService', () => new ReleaseService(catalogRepository(), releaseRepository(), feedChanges()));
}

/** Per-device pins; a change rebuilds the app's feeds at the request's end, as release changes do. */
export function devicePinService(): DevicePinService {
  return once('devicePinService', () => new DevicePinService(catalogRepository(), releaseRepository(), feedChanges()));
}

/** Install reports and the halt rules they trip; a halt is recorded in the owner's audit trail as the system's. */
export function installReports(): InstallReports {
  return once('installReports', () => {
    const audit = new AuditRepository(dynamoDocumentClient(), table());
    const days = Number(optionalEnv(ENV.auditRetentionDays) ?? DEFAULT_AUDIT_RETENTION_DAYS);
    return new InstallReports(
      appRepository(),
      feedRepository(),
      new InstallReportRepository(dynamoDocumentClient(), table()),
      releaseService(),
      // As the middleware does for a person's change: a failure to record is logged, never a failed report.
      (ownerId, event) =>
        audit
          .record(
            ownerId,
            {
              at: new Date().toISOString(),
              actorKind: 'system',
              actorId: 'system',
              actorName: 'halt rule',
              action: event.action,
              method: 'PUT',
              path: event.path,
              status: 200,
              detail: event.detail,
            },
            Number.isInteger(days) && days > 0 ? days : DEFAULT_AUDIT_RETENTION_DAYS,
          )
          .catch((error: unknown) => console.error('audit record of a halt failed', error)),
    );
  });
}

export function artifactService(log?: (outcome: string, detail: Record<string, unknown>) => void): ArtifactService {
  return once(
    'artifactService',
    () =>
      new ArtifactService(
        catalogRepository(),
        appRepository(),
        releaseRepository(),
        artifactStore(),
        feedChanges(),
        log,
        undefined,
        artifactPrivacy(),
      ),
  );
}

/** The one release path of the three faces: find or create a version's release, store or discard uploads, confirm. */
export function releaseUploads(): ReleaseUploads {
  return once('releaseUploads', () => new ReleaseUploads(releaseService(), artifactService(), deletionService()));
}

export function koolbaseRepository(): KoolbaseRepository {
  return once('koolbase', () => new KoolbaseRepository(dynamoDocumentClient(), table()));
}

export function deletionService(): DeletionService {
  return once(
    'deletionService',
    () =>
      new DeletionService(appRepository(), releaseRepository(), artifactStore(), feedPublisher(), feedChanges(), (app) =>
        revokeKoolbaseKeys(koolbaseRepository(), outboxRepository(), app),
      ),
  );
}

export function downloadService(): DownloadService {
  return once('downloadService', () => {
    const delivery = configuredDelivery(optionalEnv(ENV.artifactDelivery));
    return new DownloadService({
      feeds: feedRepository(),
      catalogs: catalogRepository(),
      releases: releaseRepository(),
      apps: appRepository(),
      // Also in the cloud: a private app's files are always presigned.
      store: artifactStore(),
      delivery,
      publicBaseUrl: requireEnv(ENV.publicBaseUrl).replace(/\/+$/, ''),
    });
  });
}

/** The current name of a catalog entry (answers show names; records keep ids). */
export async function entryName(ownerId: string, kind: 'channel' | 'platform' | 'arch', id: string): Promise<string> {
  return (await catalogRepository().get(ownerId, kind, id))?.name ?? id;
}
