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
   * Starts deleting an app: it is marked as being deleted (from then on no slug change can land
   * and no feed can be written, and it is gone for every route but DELETE), taken off the edge
   * (every public path refuses it at once), its slug, feeds and download links go (clients get 404).
   * What remains, its bytes and records, goes in bounded steps (`deleteAppStep`, the `app-delete`
   * job). Safe to call again on an app whose delete stopped halfway.
   */
  async beginAppDelete(app: App): Promise<void> {
    const current = (await this.apps.markDeleting(app.id)) ?? app;
    await this.publisher.withdraw(current);
    await this.withdrawElsewhere(current);
    // No purge: `withdraw` marked the app, its slug and its faynoSync name deleted at the edge first.
    if (current.slug) await this.apps.releaseSlug(current.slug, current);
    await this.apps.deleteLinks(app.id);
  }

  /**
   * One bounded step of an app's delete: up to `budget` object versions, then artifacts and
   * releases (each with its reference counts), then the rest of its records and the app item last.
   * No cursor: what a step deleted is no longer found, so a step that crashed is simply run again.
   */
  async deleteAppStep(appId: string, ownerId: string, budget: number): Promise<{ deleted: number; finished: boolean }> {
    let deleted = 0;
    for (const prefix of objectKeys.appPrefixes(appId)) {
      while (deleted < budget) {
        const page = await this.store.deletePrefixPage(prefix, budget - deleted);
        deleted += page;
        if (page === 0) break;
      }
      if (deleted >= budget) return { deleted, finished: false };
    }
    const { releases, artifacts } = await this.releases.collection(appId);
    for (const artifact of artifacts.slice(0, budget - deleted)) await this.releases.deleteArtifact(artifact, ownerId);
    deleted += Math.min(artifacts.length, budget - deleted);
    if (deleted >= budget) return { deleted, finished: false };
    for (const release of releases.slice(0, budget - deleted)) await this.releases.deleteRelease(release, ownerId);
    deleted += Math.min(releases.length, budget - deleted);
    if (deleted >= budget) return { deleted, finished: false };
    await this.releases.deleteRemaining(appId);
    return { deleted: deleted + 1, finished: true };
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
