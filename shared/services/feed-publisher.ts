import { type DevicePin, MAX_PINS_PER_APP } from '../domain/device-pin.js';
import { type EdgeStateUpdate, edgeRollouts, edgeStateKeys } from '../domain/edge-state.js';
import { buildFaynoView } from '../domain/fayno-view.js';
import type { FeedPin, PlatformFeed } from '../domain/feed.js';
import { type AppFeeds, buildAppFeeds } from '../domain/feed-builder.js';
import type { App } from '../domain/model.js';
import { API_PREFIX, FEEDS_PREFIX } from '../domain/public-paths.js';
import type { AppRepository } from '../storage/app-repository.js';
import type { CatalogRepository } from '../storage/catalog-repository.js';
import type { FaynoViewRepository } from '../storage/fayno-view-repository.js';
import { decodeFeed, encodeFeed, fingerprint } from '../storage/feed-codec.js';
import type { FeedPlacement, FeedRepository, StoredFeeds } from '../storage/feed-repository.js';
import { DEFAULT_CHANNEL_ALIAS, keys, objectKeys } from '../storage/keys.js';
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

/** Every feed of the app carries its device pins (by hash), so a pinned device's check needs no other read. */
export function withPins(feeds: AppFeeds, pins: readonly DevicePin[], channels: readonly { id: string; name: string }[]): AppFeeds {
  if (pins.length === 0) return feeds;
  const names = new Map(channels.map((c) => [c.id, c.name]));
  const byHash: Record<string, FeedPin> = {};
  for (const pin of pins) {
    const channel = pin.channelId === undefined ? undefined : names.get(pin.channelId);
    byHash[pin.hash] = { ...(channel !== undefined ? { c: channel } : {}), ...(pin.version !== undefined ? { v: pin.version } : {}) };
  }
  return { ...feeds, feeds: feeds.feeds.map((feed) => ({ ...feed, pins: byHash })) };
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

/** Edge paths under a prefix and one identifier segment (`/api/sync/ota/<slug>/*`), as callers name what went stale. */
const SLUG_PATH = new RegExp(`^(?:${API_PREFIX}|${FEEDS_PREFIX})/([^/*]+)/\\*$`);
const FILES_PATH = new RegExp(`^/${objectKeys.artifactRoot}([^/*]+)/`);

/**
 * Recomputes an app's published feeds after any change and tells the edge: once the change has
 * committed, the app's new edge state (a new revision, its privacy, its rollouts) is queued in
 * the outbox for every identifier its public paths carry, and the edge-state writer puts it into
 * CloudFront's KeyValueStore. The revision is part of every cache key, so nothing is purged: a
 * publish makes new keys. Idempotent: it always rebuilds from the stored state, so a retried ingest
 * or a retried request finishes what a failed one started.
 */
export class FeedPublisher {
  // Narrow types, so tests can pass in-memory fakes.
  constructor(
    private readonly apps: Pick<AppRepository, 'get' | 'allByOwner'>,
    private readonly catalogs: Pick<CatalogRepository, 'all' | 'ownerName'>,
    private readonly releases: Pick<ReleaseRepository, 'collection'>,
    private readonly feeds: Pick<FeedRepository, 'nextRevision' | 'stored' | 'replace'>,
    private readonly outbox: Pick<OutboxRepository, 'enqueueEdgeState'>,
    private readonly views: Pick<FaynoViewRepository, 'replace' | 'remove'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Rebuilds one app's feeds; `alsoPurge` names edge paths the caller knows went stale: a slug the
   * app left is refused at the edge from now on, and removed files (`/ota/<app>/…`) change the app's
   * artifact keys. A rebuild that loses to a newer one stops: the newer one took its revision after
   * this change committed, so it has seen it.
   */
  async republish(appId: string, alsoPurge: string[] = []): Promise<void> {
    const next = await this.feeds.nextRevision(appId);
    const app = next ? await this.apps.get(appId) : undefined;
    if (!next || !app || app.deleting) {
      await this.outbox.enqueueEdgeState(staleUpdates(alsoPurge, undefined, this.now().getTime(), true));
      return;
    }
    const [catalog, { releases, artifacts, pins }, stored, ownerName] = await Promise.all([
      this.catalogs.all(next.ownerId),
      this.releases.collection(appId),
      next.slug ? this.feeds.stored(next.slug) : (new Map() as StoredFeeds),
      this.catalogs.ownerName(next.ownerId),
    ]);
    // faynoSync's view of the app, under its owner's user name (recorded at the owner's first request).
    let viewChanged = false;
    const leftNames: string[] = [];
    if (ownerName) {
      const view = buildFaynoView(app, catalog, releases, artifacts, this.now());
      await this.views.replace(ownerName, view, next.rev, async (left) => {
        viewChanged = true;
        leftNames.push(...left);
      });
    }
    const kept = pins.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).slice(0, MAX_PINS_PER_APP);
    const built = withPins(
      withAccess(buildAppFeeds(app, catalog, releases, artifacts, this.now()), app, catalog.channels),
      kept,
      catalog.channels,
    );
    let feedsChanged = false;
    // Whether anything but the pins changed: a pin change alone must not change everyone's cache key.
    let answersChanged = false;
    if (next.slug) {
      const slug = next.slug;
      const placements = placementsOf(built);
      const changed = placements.filter(({ channel, feed }) => {
        const existing = stored.get(keys.feed(slug, channel, feed.platform, feed.arch).SK);
        return existing?.fingerprint !== fingerprint(encodeFeed(feed)) || existing.appId !== appId;
      });
      feedsChanged = placements.length !== stored.size || changed.length > 0;
      answersChanged =
        placements.length !== stored.size ||
        changed.some(({ channel, feed }) => !samePinsAside(stored.get(keys.feed(slug, channel, feed.platform, feed.arch).SK), feed, appId));
      // A rebuild that lost to a newer one leaves the edge to it too.
      if (!(await this.feeds.replace(slug, appId, placements, next.rev, stored))) return;
    }
    if (!feedsChanged && !viewChanged && alsoPurge.length === 0) return;
    const pinsOnly = !answersChanged && !viewChanged && alsoPurge.length === 0;
    // After the commit: a new revision must never be seen before the answers it stands for.
    const rev = this.now().getTime();
    const state = {
      rev,
      ...(app.private === true ? { private: true as const } : {}),
      ...edgeRolloutsOf(built.feeds.flatMap((feed) => feed.releases)),
      ...(kept.length > 0 ? { pins: kept.map((pin) => pin.hash).sort() } : {}),
    };
    const filesChanged = alsoPurge.some((path) => FILES_PATH.exec(path)?.[1] === appId);
    const own = [
      ...(next.slug ? [edgeStateKeys.slug(next.slug)] : []),
      edgeStateKeys.app(appId),
      ...(ownerName ? [edgeStateKeys.fayno(ownerName, app.name)] : []),
    ];
    if (pinsOnly) {
      // Only a pinned device's answer changed: the edge keeps the revision and renews the pinned keys alone.
      await this.outbox.enqueueEdgeState(own.map((key) => ({ key, state, pinsOnly: true as const })));
      return;
    }
    await this.outbox.enqueueEdgeState([
      ...own.map((key) => ({ key, state, ...(filesChanged && key === edgeStateKeys.app(appId) ? { filesChanged: true as const } : {}) })),
      // A slug or a faynoSync name the app left answers 404 from now on (until another app takes it).
      ...staleUpdates(alsoPurge, next.slug, rev, false).filter((u) => !own.includes(u.key)),
      ...(ownerName ? leftNames.filter((name) => name !== app.name).map((name) => gone(edgeStateKeys.fayno(ownerName, name), rev)) : []),
    ]);
  }

  /** Takes an app off the edge (its delete started): its public paths are refused at once, and out of faynoSync's answers. */
  async withdraw(app: App): Promise<void> {
    const ownerName = await this.catalogs.ownerName(app.ownerId);
    const rev = this.now().getTime();
    await this.outbox.enqueueEdgeState([
      gone(edgeStateKeys.app(app.id), rev, true),
      ...(app.slug ? [gone(edgeStateKeys.slug(app.slug), rev)] : []),
      ...(ownerName ? [gone(edgeStateKeys.fayno(ownerName, app.name), rev)] : []),
    ]);
    if (ownerName) await this.views.remove(ownerName, app.id);
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

/** Whether a stored feed item is the built feed but for its pins (a pin change alone). */
function samePinsAside(existing: { fingerprint: string; appId: string } | undefined, feed: PlatformFeed, appId: string): boolean {
  if (!existing || existing.appId !== appId) return false;
  const before = decodeFeed(Buffer.from(existing.fingerprint, 'base64'));
  if (!before) return false;
  const { pins: _before, ...beforeRest } = before;
  const { pins: _after, ...afterRest } = feed;
  return fingerprint(encodeFeed(beforeRest)) === fingerprint(encodeFeed(afterRest));
}

function gone(key: string, rev: number, filesChanged = false): EdgeStateUpdate {
  return { key, state: { rev, deleted: true }, ...(filesChanged ? { filesChanged: true as const } : {}) };
}

function edgeRolloutsOf(releases: readonly { id: string; rollout?: number }[]): { rollouts?: [number, number][] } {
  const rollouts = edgeRollouts(releases);
  return rollouts.length > 0 ? { rollouts } : {};
}

/** What stale paths a caller names mean at the edge: slugs other than `current` are gone, removed files change artifact keys. */
function staleUpdates(paths: readonly string[], current: string | undefined, rev: number, appGone: boolean): EdgeStateUpdate[] {
  const updates = new Map<string, EdgeStateUpdate>();
  for (const path of paths) {
    const slug = SLUG_PATH.exec(path)?.[1];
    if (slug !== undefined && slug !== current) updates.set(edgeStateKeys.slug(slug), gone(edgeStateKeys.slug(slug), rev));
    const appId = FILES_PATH.exec(path)?.[1];
    if (appId !== undefined && appGone) updates.set(edgeStateKeys.app(appId), gone(edgeStateKeys.app(appId), rev, true));
  }
  return [...updates.values()];
}
