import { NotFound, shown } from '../domain/errors.js';
import type { App, Artifact } from '../domain/model.js';
import type { AppRepository } from '../storage/app-repository.js';
import type { ArtifactStore } from '../storage/artifact-store.js';
import { edgePaths, objectKeys } from '../storage/keys.js';
import type { ReleaseRepository } from '../storage/release-repository.js';
import type { FeedChanges } from './feed-changes.js';
import type { FeedPublisher } from './feed-publisher.js';

/**
 * Deleting apps, releases and artifacts: records first and the feeds rebuilt without them (so
 * nothing deleted is offered, and its edge answers are purged), bytes last. Every step can be
 * retried. Kept apart from the other services because only these routes need S3 deletes.
 */
export class DeletionService {
  constructor(
    private readonly apps: AppRepository,
    private readonly releases: ReleaseRepository,
    private readonly store: ArtifactStore,
    private readonly publisher: Pick<FeedPublisher, 'withdraw'>,
    /** Rebuilds go through the request's unit of work, flushed before any bytes are deleted. */
    private readonly changes: Pick<FeedChanges, 'republish' | 'flush'>,
    /** Takes the app out of answers that do not go through its records (Koolbase's SDK keys). */
    private readonly withdrawElsewhere: (app: App) => Promise<void> = async () => {},
  ) {}

  /**
   * Deletes an app. First it is marked as being deleted (from then on no slug change can land and
   * no feed can be written), then its slug, feeds and download links go (clients get 404), then its bytes, its
   * records, and the app item last.
   */
  async deleteApp(app: App): Promise<void> {
    const current = (await this.apps.markDeleting(app.id)) ?? app;
    await this.publisher.withdraw(current);
    await this.withdrawElsewhere(current);
    // No purge: `withdraw` marked the app, its slug and its faynoSync name deleted at the edge first.
    if (current.slug) await this.apps.releaseSlug(current.slug, current);
    await this.apps.deleteLinks(app.id);
    for (const prefix of objectKeys.appPrefixes(app.id)) await this.store.deletePrefix(prefix);
    const { releases, artifacts } = await this.releases.collection(app.id);
    for (const artifact of artifacts) await this.releases.deleteArtifact(artifact, app.ownerId);
    for (const release of releases) await this.releases.deleteRelease(release, app.ownerId);
    await this.releases.deleteRemaining(app.id);
  }

  async deleteRelease(app: App, releaseId: string): Promise<void> {
    const found = await this.releases.getWithArtifacts(app.id, releaseId);
    if (!found) throw new NotFound(`Release ${shown(releaseId)} not found`);
    for (const artifact of found.artifacts) await this.releases.deleteArtifact(artifact, app.ownerId);
    await this.releases.deleteRelease(found.release, app.ownerId);
    await this.changes.republish(app.id, [...(app.slug ? edgePaths.slug(app.slug) : []), edgePaths.release(app.id, releaseId)]);
    await this.changes.flush();
    for (const prefix of objectKeys.releasePrefixes(app.id, releaseId)) await this.store.deletePrefix(prefix);
  }

  async deleteArtifact(app: App, releaseId: string, artifactId: string): Promise<void> {
    const artifact = await this.releases.getArtifact(app.id, releaseId, artifactId);
    if (!artifact) throw new NotFound(`Artifact ${shown(artifactId)} not found`);
    await this.releases.deleteArtifact(artifact, app.ownerId);
    await this.afterArtifactDeleted(app, releaseId, artifactId);
  }

  /**
   * Deletes a refused upload (an artifact left `rejected` or `failed` by this attempt), unless a
   * concurrent upload of the same file has started a newer attempt on it meanwhile: then it is
   * that upload's, and stays.
   */
  async discardRefused(app: App, artifact: Artifact): Promise<void> {
    if (!(await this.releases.deleteArtifact(artifact, app.ownerId, artifact.attemptId))) return;
    await this.afterArtifactDeleted(app, artifact.releaseId, artifact.id);
  }

  private async afterArtifactDeleted(app: App, releaseId: string, artifactId: string): Promise<void> {
    await this.changes.republish(app.id, [...(app.slug ? edgePaths.slug(app.slug) : []), edgePaths.release(app.id, releaseId)]);
    await this.changes.flush();
    for (const prefix of objectKeys.artifactPrefixes(app.id, releaseId, artifactId)) await this.store.deletePrefix(prefix);
  }
}
