import { ulid } from 'ulid';
import { assertCanManage } from '../auth/ownership.js';
import type { Principal } from '../auth/principal.js';
import type { App } from '../domain/model.js';
import { slugProblem } from '../domain/slug.js';
import { Invalid } from '../http/errors.js';
import type { AppRepository } from '../storage/app-repository.js';
import type { ArtifactStore } from '../storage/artifact-store.js';
import type { EdgeCache } from '../storage/edge-cache.js';
import { edgePaths, keys, objectKeys } from '../storage/keys.js';
import type { ReleaseRepository } from '../storage/release-repository.js';
import type { FeedPublisher } from './feed-publisher.js';

/** Creating, reading, renaming (slug) and deleting apps. */
export class AppService {
  constructor(
    private readonly apps: AppRepository,
    private readonly releases: ReleaseRepository,
    private readonly store: ArtifactStore,
    private readonly publisher: FeedPublisher,
    private readonly edge: EdgeCache,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(principal: Principal, name: string): Promise<App> {
    const app: App = { id: ulid(), name, ownerId: principal.userId, createdAt: this.now().toISOString() };
    await this.apps.create(app);
    return app;
  }

  async list(principal: Principal): Promise<App[]> {
    const all: App[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.apps.listByOwner(principal.userId, 100, cursor);
      all.push(...page.apps);
      cursor = page.next;
    } while (cursor);
    return all;
  }

  /** The app if the caller may manage it; 404 otherwise. */
  async get(principal: Principal, appId: string): Promise<App> {
    return assertCanManage(principal, await this.apps.get(appId), appId);
  }

  async setSlug(principal: Principal, appId: string, slug: string): Promise<App> {
    const problem = slugProblem(slug);
    if (problem) throw new Invalid(problem);
    const app = await this.get(principal, appId);
    if (app.slug === slug) return app;
    await this.apps.changeSlug(app, slug);
    // The old slug's cached answers must go; the new slug's feed is filled by the rebuild.
    await this.publisher.republish(app.id, app.slug ? [edgePaths.slug(app.slug)] : []);
    return { ...app, slug };
  }

  /**
   * Deletes the app: first its public slug (clients stop being offered anything), then its
   * artifacts, then its records, the app item last so a failed delete can be retried.
   */
  async delete(principal: Principal, appId: string): Promise<void> {
    const app = await this.get(principal, appId);
    if (app.slug) await this.apps.releaseSlug(app.slug, app.id);
    await this.store.deletePrefix(objectKeys.app(app.id));
    const { keys: itemKeys } = await this.releases.collection(app.id);
    const appKey = keys.app(app.id);
    await this.releases.deleteKeys(itemKeys.filter((k) => k.SK !== appKey.SK));
    await this.releases.deleteKeys([appKey]);
    await this.edge.invalidate([...(app.slug ? [edgePaths.slug(app.slug)] : []), edgePaths.app(app.id)]);
  }
}
