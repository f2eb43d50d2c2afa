import type { Arch, Target } from '../domain/platform.js';
import { platformKey } from '../domain/platform.js';
import { NotFound, shown } from '../http/errors.js';
import type { ArtifactStore } from '../storage/artifact-store.js';
import type { FeedRepository } from '../storage/feed-repository.js';
import type { ArtifactService } from './artifact-service.js';
import { parseFeedPath } from './update-check.js';

/** How artifact bytes reach clients: from CloudFront (cloud) or a presigned S3 URL (local). */
export type ArtifactDelivery = 'edge' | 'presigned';

const RELEASE_ID = /^[0-9A-Z]{26}$/;

/** Resolves a public download path to where the verified bytes are. */
export class DownloadService {
  constructor(
    private readonly feeds: FeedRepository,
    private readonly artifacts: ArtifactService,
    private readonly store: ArtifactStore,
    private readonly delivery: ArtifactDelivery,
  ) {}

  /**
   * The redirect target for one release's artifact; 404 unless it exists and was verified.
   * `cacheable` is false for presigned URLs, which expire.
   */
  async locate(slug: string, releaseId: string, target: string, arch: string): Promise<{ location: string; cacheable: boolean }> {
    const q = parseFeedPath({ slug, target, arch });
    if (!RELEASE_ID.test(releaseId)) throw new NotFound(`Release ${shown(releaseId)} not found`);
    const record = await this.feeds.read(q.slug);
    if (!record) throw new NotFound(`No app is published at ${shown(q.slug)}`);
    // The newest release is in the feed already: one read. Older ones need their artifact record.
    const entry = record.feed.entries[platformKey(q.target, q.arch)];
    const located =
      entry?.releaseId === releaseId
        ? { objectKey: entry.objectKey, versionId: entry.objectVersionId }
        : await this.fromArtifact(record.appId, releaseId, q.target, q.arch);
    if (this.delivery === 'presigned') {
      return { location: await this.store.presignDownload(located.objectKey, located.versionId), cacheable: false };
    }
    // Same-host relative redirect to CloudFront's `/ota/*` behaviour, pinned to the verified version.
    const version = located.versionId ? `?versionId=${encodeURIComponent(located.versionId)}` : '';
    return { location: `/${located.objectKey}${version}`, cacheable: true };
  }

  private async fromArtifact(appId: string, releaseId: string, target: Target, arch: Arch) {
    const artifact = await this.artifacts.readyArtifact(appId, releaseId, target, arch);
    return { objectKey: artifact.objectKey, versionId: artifact.objectVersionId };
  }
}
