import semverRcompare from 'semver/functions/rcompare.js';
import { ulid } from 'ulid';
import type { Principal } from '../auth/principal.js';
import type { Artifact, Release } from '../domain/model.js';
import { NotFound, shown } from '../http/errors.js';
import type { ArtifactStore } from '../storage/artifact-store.js';
import { edgePaths, objectKeys } from '../storage/keys.js';
import type { ReleaseRepository } from '../storage/release-repository.js';
import type { AppService } from './app-service.js';
import type { FeedPublisher } from './feed-publisher.js';

export interface NewRelease {
  version: string;
  notes?: string;
  signature?: string;
  pubDate?: string;
}

export interface ReleaseWithArtifacts {
  release: Release;
  artifacts: Artifact[];
}

/** Creating, listing and deleting releases. */
export class ReleaseService {
  constructor(
    private readonly apps: AppService,
    private readonly releases: ReleaseRepository,
    private readonly store: ArtifactStore,
    private readonly publisher: FeedPublisher,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(principal: Principal, appId: string, input: NewRelease): Promise<Release> {
    const app = await this.apps.get(principal, appId);
    const createdAt = this.now().toISOString();
    const release: Release = {
      id: ulid(),
      appId: app.id,
      version: input.version,
      notes: input.notes ?? '',
      ...(input.signature ? { signature: input.signature } : {}),
      pubDate: input.pubDate ?? createdAt,
      createdAt,
    };
    await this.releases.create(release);
    return release;
  }

  /** Releases newest version first, each with its artifacts. */
  async list(principal: Principal, appId: string): Promise<ReleaseWithArtifacts[]> {
    const app = await this.apps.get(principal, appId);
    const { releases, artifacts } = await this.releases.collection(app.id);
    return releases
      .sort((a, b) => semverRcompare(a.version, b.version))
      .map((release) => ({ release, artifacts: artifacts.filter((a) => a.releaseId === release.id) }));
  }

  /**
   * Deletes a release: its records first and the feed rebuilt without it, so it is no longer
   * offered, with its edge answers purged; then its bytes.
   */
  async delete(principal: Principal, appId: string, releaseId: string): Promise<void> {
    const app = await this.apps.get(principal, appId);
    const release = await this.releases.get(app.id, releaseId);
    if (!release) throw new NotFound(`Release ${shown(releaseId)} not found`);
    const { artifacts } = await this.releases.collection(app.id);
    await this.releases.deleteRelease(
      release,
      artifacts.filter((a) => a.releaseId === release.id),
    );
    // Download redirects for this release are cached under the slug path even when the feed did
    // not change, so the slug's answers are purged as well as the release's files.
    await this.publisher.republish(app.id, [...(app.slug ? [edgePaths.slug(app.slug)] : []), edgePaths.release(app.id, release.id)]);
    await this.store.deletePrefix(objectKeys.release(app.id, release.id));
  }
}
