import { createHash } from 'node:crypto';
import { type DevicePin, MAX_PINS_PER_APP } from '../domain/device-pin.js';
import { type EdgeStateUpdate, edgeRollouts, edgeStateKeys } from '../domain/edge-state.js';
import { buildFaynoView, type FaynoView } from '../domain/fayno-view.js';
import type { FeedPin } from '../domain/feed.js';
import { type AppFeeds, buildAppFeeds } from '../domain/feed-builder.js';
import type { FileLink } from '../domain/file-link.js';
import type { App } from '../domain/model.js';
import { API_PREFIX, FEEDS_PREFIX } from '../domain/public-paths.js';
import type { AppRepository } from '../storage/app-repository.js';
import type { CatalogRepository } from '../storage/catalog-repository.js';
import type { FaynoViewRepository } from '../storage/fayno-view-repository.js';
import { encodeFeed } from '../storage/feed-codec.js';
import type { FeedPlacement, FeedRepository, StoredFeeds } from '../storage/feed-repository.js';
import type { StoredLinks } from '../storage/file-link-item.js';
import { DEFAULT_CHANNEL_ALIAS, objectKeys } from '../storage/keys.js';
import type { Announcement, OutboxRepository } from '../storage/outbox-repository.js';
import type { ReleaseRepository } from '../storage/release-repository.js';
import { buildFileLinks } from './file-links.js';

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
 * Recomputes an app's published feeds, faynoSync view and download links after any change and
 * tells the edge: the app's new edge state (a new revision, its privacy, its rollouts) for every
 * identifier its public paths carry is an outbox item written in the same transaction as the
 * rebuild's last commit, and the edge-state writer puts it into CloudFront's KeyValueStore. The revision is part of every cache key, so nothing is purged: a
 * publish makes new keys. Idempotent: it always rebuilds from the stored state, so a retried ingest
 * or a retried request finishes what a failed one started.
 */
export class FeedPublisher {
  // Narrow types, so tests can pass in-memory fakes.
  constructor(
    private readonly apps: Pick<AppRepository, 'get' | 'allByOwner'>,
    private readonly catalogs: Pick<CatalogRepository, 'all' | 'ownerName'>,
    private readonly releases: Pick<ReleaseRepository, 'collection'>,
    private readonly feeds: Pick<FeedRepository, 'nextRevision' | 'stored' | 'storedLinks' | 'replace' | 'replaceLinks'>,
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
    const [catalog, { releases, artifacts, pins, links, announced }, stored, slugLinks, ownerName] = await Promise.all([
      this.catalogs.all(next.ownerId),
      this.releases.collection(appId),
      next.slug ? this.feeds.stored(next.slug) : (new Map() as StoredFeeds),
      next.slug ? this.feeds.storedLinks(next.slug, appId) : (new Map() as StoredLinks),
      this.catalogs.ownerName(next.ownerId),
    ]);
    const rev = this.now().getTime();
    // faynoSync's view of the app, under its owner's user name (recorded at the owner's first request).
    const view = ownerName ? buildFaynoView(app, catalog, releases, artifacts, this.now()) : undefined;
    if (ownerName && view) {
      // A name the app leaves answers 404 from now on (until another app takes it): told before the view moves.
      await this.views.replace(ownerName, view, next.rev, (left) =>
        this.outbox.enqueueEdgeState(
          left.filter((name) => name !== app.name).map((name) => gone(edgeStateKeys.fayno(ownerName, name), rev)),
        ),
      );
    }
    const kept = pins.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).slice(0, MAX_PINS_PER_APP);
    const built = withPins(
      withAccess(buildAppFeeds(app, catalog, releases, artifacts, this.now()), app, catalog.channels),
      kept,
      catalog.channels,
    );
    const placements = next.slug ? placementsOf(built) : [];
    const fileLinks = buildFileLinks(app, catalog, releases, artifacts);
    const edge = {
      ...(app.private === true ? { private: true as const } : {}),
      ...edgeRolloutsOf(built.feeds.flatMap((feed) => feed.releases)),
      ...(kept.length > 0 ? { pins: kept.map((pin) => pin.hash).sort() } : {}),
    };
    const own = [
      ...(next.slug ? [edgeStateKeys.slug(next.slug)] : []),
      edgeStateKeys.app(appId),
      ...(ownerName ? [edgeStateKeys.fayno(ownerName, app.name)] : []),
    ];
    // What the edge's answers are built from, the pins apart: when the edge was told exactly this,
    // there is nothing to tell; when only the pins differ, only the pinned devices' keys are renewed.
    const answers = answersFingerprint({ own, edge, placements, view, fileLinks });
    const [answersAside, pinsPart] = answers.split('.');
    const [announcedAside] = (announced ?? '').split('.');
    let announcement: Announcement | undefined;
    if (answers !== announced || alsoPurge.length > 0) {
      const state = { rev, ...edge };
      const filesChanged = alsoPurge.some((path) => FILES_PATH.exec(path)?.[1] === appId);
      const pinsOnly = alsoPurge.length === 0 && announced !== undefined && answersAside === announcedAside && pinsPart !== undefined;
      announcement = {
        appId,
        fingerprint: answers,
        at: rev,
        updates: pinsOnly
          ? // Only a pinned device's answer changed: the edge keeps the revision and renews the pinned keys alone.
            own.map((key) => ({ key, state, pinsOnly: true as const }))
          : [
              ...own.map((key) => ({
                key,
                state,
                ...(filesChanged && key === edgeStateKeys.app(appId) ? { filesChanged: true as const } : {}),
              })),
              // A slug the app left answers 404 from now on (until another app takes it).
              ...staleUpdates(alsoPurge, next.slug, rev, false).filter((u) => !own.includes(u.key)),
            ],
      };
    }
    // The download links first, then the feeds; the new revision is announced in the same
    // transaction as the last commit (a new revision must never be seen before the answers it
    // stands for, and a crash can no longer fall between them). A rebuild that lost to a newer one
    // writes nothing more and leaves the edge to it.
    const storedLinks = new Map([...links, ...slugLinks]);
    if (!(await this.feeds.replaceLinks(appId, next.slug, fileLinks, next.rev, storedLinks, next.slug ? undefined : announcement))) return;
    if (next.slug) await this.feeds.replace(next.slug, appId, placements, next.rev, stored, announcement);
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

function gone(key: string, rev: number, filesChanged = false): EdgeStateUpdate {
  return { key, state: { rev, deleted: true }, ...(filesChanged ? { filesChanged: true as const } : {}) };
}

function edgeRolloutsOf(releases: readonly { id: string; rollout?: number }[]): { rollouts?: [number, number][] } {
  const rollouts = edgeRollouts(releases);
  return rollouts.length > 0 ? { rollouts } : {};
}

/**
 * A digest of everything an app's edge answers are built from (its revision aside), in two parts,
 * `<all but the pins>.<the pins>`: a change of the pins alone keeps everyone else's cache key.
 */
function answersFingerprint(parts: {
  own: readonly string[];
  edge: { pins?: readonly string[] };
  placements: readonly FeedPlacement[];
  view: FaynoView | undefined;
  fileLinks: readonly FileLink[];
}): string {
  const { pins: edgePins, ...edgeAside } = parts.edge;
  const aside = createHash('sha256');
  const pins = createHash('sha256');
  aside.update(JSON.stringify([parts.own, edgeAside, parts.view ?? null]));
  pins.update(JSON.stringify(edgePins ?? []));
  for (const { channel, feed } of parts.placements) {
    const { pins: feedPins, ...feedAside } = feed;
    aside.update(channel).update(encodeFeed(feedAside));
    pins.update(channel).update(JSON.stringify(feedPins ?? []));
  }
  for (const link of parts.fileLinks) aside.update(JSON.stringify(link));
  return `${aside.digest('base64url')}.${pins.digest('base64url')}`;
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
