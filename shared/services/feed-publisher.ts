import { buildFaynoView } from '../domain/fayno-view.js';
import { type AppFeeds, buildAppFeeds } from '../domain/feed-builder.js';
import type { App } from '../domain/model.js';
import type { AppRepository } from '../storage/app-repository.js';
import type { CatalogRepository } from '../storage/catalog-repository.js';
import type { FaynoViewRepository } from '../storage/fayno-view-repository.js';
import { encodeFeed, fingerprint } from '../storage/feed-codec.js';
import type { FeedPlacement, FeedRepository, StoredFeeds } from '../storage/feed-repository.js';
import { DEFAULT_CHANNEL_ALIAS, edgePaths, keys } from '../storage/keys.js';
import type { OutboxRepository } from '../storage/outbox-repository.js';
import type { ReleaseRepository } from '../storage/release-repository.js';

/** Apps of one owner rebuilt at once after a catalog change. */
const OWNER_REBUILD_CONCURRENCY = 5;

/**
 * A private app's feeds carry `private` and their channel's id, so the one read of a check knows
 * whether a download token is needed and which channel a limited token must name. A public app's
 * feeds are left exactly as built (their items, and so their fingerprints, do not change).
 */
export function withAccess(feeds: AppFeeds, app: App, channels: readonly { id: string; name: string }[]): AppFeeds {
  if (app.private !== true) return feeds;
  const ids = new Map(channels.map((c) => [c.name, c.id]));
  return {
    ...feeds,
    feeds: feeds.feeds.map((feed) => {
      const channelId = ids.get(feed.channel);
      return { ...feed, private: true as const, ...(channelId ? { channelId } : {}) };
    }),
  };
}

/** Where each feed is published: under its channel's name, and the default channel's also under the alias "" (clients that name no channel). */
export function placementsOf({ defaultChannel, feeds }: AppFeeds): FeedPlacement[] {
  return feeds.flatMap((feed) =>
    feed.channel === defaultChannel
      ? [
          { channel: feed.channel, feed },
          { channel: DEFAULT_CHANNEL_ALIAS, feed },
        ]
      : [{ channel: feed.channel, feed }],
  );
}

/**
 * Recomputes an app's published feeds after any change and purges the edge answers that
 * changed. Idempotent: it always rebuilds from the stored state, so a retried ingest or a retried
 * request finishes what a failed one started. The purge is written to the outbox *before* the
 * feeds, so no published change can be left without its invalidation.
 */
export class FeedPublisher {
  // Narrow types, so tests can pass in-memory fakes.
  constructor(
    private readonly apps: Pick<AppRepository, 'get' | 'allByOwner'>,
    private readonly catalogs: Pick<CatalogRepository, 'all' | 'ownerName'>,
    private readonly releases: Pick<ReleaseRepository, 'collection'>,
    private readonly feeds: Pick<FeedRepository, 'nextRevision' | 'stored' | 'replace'>,
    private readonly outbox: Pick<OutboxRepository, 'enqueue'>,
    private readonly views: Pick<FaynoViewRepository, 'replace' | 'remove'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Rebuilds one app's feeds; `alsoPurge` adds edge paths the caller knows went stale. A rebuild
   * that loses to a newer one stops: the newer one took its revision after this change committed,
   * so it has seen it.
   */
  async republish(appId: string, alsoPurge: string[] = []): Promise<void> {
    const next = await this.feeds.nextRevision(appId);
    const app = next ? await this.apps.get(appId) : undefined;
    if (!next || !app || app.deleting) {
      await this.outbox.enqueue(alsoPurge);
      return;
    }
    const [catalog, { releases, artifacts }, stored, ownerName] = await Promise.all([
      this.catalogs.all(next.ownerId),
      this.releases.collection(appId),
      next.slug ? this.feeds.stored(next.slug) : (new Map() as StoredFeeds),
      this.catalogs.ownerName(next.ownerId),
    ]);
    // faynoSync's view of the app, under its owner's user name (recorded at the owner's first request).
    if (ownerName) {
      const view = buildFaynoView(app, catalog, releases, artifacts, this.now());
      await this.views.replace(ownerName, view, next.rev, () =>
        this.outbox.enqueue([...edgePaths.faynoAnswers, edgePaths.appFiles(appId)]),
      );
    }
    if (!next.slug) {
      await this.outbox.enqueue(alsoPurge);
      return;
    }
    const slug = next.slug;
    const placements = placementsOf(withAccess(buildAppFeeds(app, catalog, releases, artifacts, this.now()), app, catalog.channels));
    const changed =
      placements.length !== stored.size ||
      placements.some(({ channel, feed }) => {
        const existing = stored.get(keys.feed(slug, channel, feed.platform, feed.arch).SK);
        return existing?.fingerprint !== fingerprint(encodeFeed(feed)) || existing.appId !== appId;
      });
    // The purge is queued before the feeds change, so a crash between the two cannot lose it.
    await this.outbox.enqueue(changed ? [...edgePaths.slug(slug), ...alsoPurge] : alsoPurge);
    await this.feeds.replace(slug, appId, placements, next.rev, stored);
  }

  /** Takes an app out of faynoSync's answers (its delete started). */
  async withdraw(app: App): Promise<void> {
    const ownerName = await this.catalogs.ownerName(app.ownerId);
    if (!ownerName) return;
    await this.outbox.enqueue([...edgePaths.faynoAnswers, edgePaths.appFiles(app.id)]);
    await this.views.remove(ownerName, app.id);
  }

  /** Rebuilds every app of an owner (a catalog entry they share was renamed or reconfigured). */
  async republishOwner(ownerId: string): Promise<void> {
    // A few at a time: an owner with many apps finishes within the function's time, without a burst of transactions.
    const pending = (await this.apps.allByOwner(ownerId)).map((app) => app.id);
    const worker = async () => {
      for (let appId = pending.shift(); appId !== undefined; appId = pending.shift()) await this.republish(appId);
    };
    await Promise.all(Array.from({ length: OWNER_REBUILD_CONCURRENCY }, worker));
  }
}
