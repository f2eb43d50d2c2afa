import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryEdgeStore } from '../../local/edge-runtime.js';
import { devicePinHash } from '../../shared/domain/device-pin.js';
import { decodeEdgeState, type EdgeStateUpdate } from '../../shared/domain/edge-state.js';
import type { FaynoView } from '../../shared/domain/fayno-view.js';
import { type FileLink, fileLinkId } from '../../shared/domain/file-link.js';
import type { App } from '../../shared/domain/model.js';
import { deviceBucket } from '../../shared/domain/rollout.js';
import { DevicePinService } from '../../shared/services/device-pin-service.js';
import { FeedPublisher } from '../../shared/services/feed-publisher.js';
import { EdgeStateWriter } from '../../shared/storage/edge-state-store.js';
import type { FaynoViewRepository } from '../../shared/storage/fayno-view-repository.js';
import { decodeFeed, encodeFeed, fingerprint } from '../../shared/storage/feed-codec.js';
import type { FeedPlacement, FeedRepository, StoredFeeds } from '../../shared/storage/feed-repository.js';
import { DEFAULT_CHANNEL_ALIAS, edgePaths, keys } from '../../shared/storage/keys.js';
import type { Announcement } from '../../shared/storage/outbox-repository.js';
import { ownerCaller as caller, newApp, releaseWorld } from './in-memory.js';

/**
 * Published feeds by slug, with the repository's ordering rule: a rebuild lands only over an older
 * (or its own) revision of the app, so the last write saw every change. `log` records each write.
 */
class FakeFeeds implements Pick<FeedRepository, 'nextRevision' | 'stored' | 'storedLinks' | 'replace' | 'replaceLinks'> {
  revs = new Map<string, number>();
  items = new Map<string, Map<string, { encoded: Buffer; appId: string }>>();
  published = new Map<string, { rev: number; appId: string }>();
  constructor(
    private readonly apps: App[],
    private readonly log: string[],
  ) {}

  async nextRevision(appId: string) {
    const app = this.apps.find((a) => a.id === appId);
    if (!app || app.deleting) return undefined;
    const rev = (this.revs.get(appId) ?? 0) + 1;
    this.revs.set(appId, rev);
    return { rev, ownerId: app.ownerId, ...(app.slug ? { slug: app.slug } : {}) };
  }
  async stored(slug: string): Promise<StoredFeeds> {
    return new Map(
      [...(this.items.get(slug) ?? new Map())].map(([sk, { encoded, appId }]) => [sk, { fingerprint: fingerprint(encoded), appId }]),
    );
  }
  /** Fingerprints of what the edge was told, by app (written with the announcement, as the transaction does). */
  announced = new Map<string, string>();
  /** Applies an announcement's outbox item (set by the fixture). */
  onAnnounce: (announcement: Announcement) => Promise<void> = async () => {};
  /** Set to make the next transaction of that kind fail before it commits (the function died, the connection was lost). */
  failNext: 'links' | 'feeds' | undefined;

  private async commit(kind: 'links' | 'feeds', announcement: Announcement | undefined, write: () => void) {
    if (this.failNext === kind) {
      this.failNext = undefined;
      throw new Error(`the function died before the ${kind} transaction committed`);
    }
    write();
    if (announcement) {
      this.announced.set(announcement.appId, announcement.fingerprint);
      await this.onAnnounce(announcement);
    }
  }
  async replace(slug: string, appId: string, placements: FeedPlacement[], rev: number, _stored: StoredFeeds, announcement?: Announcement) {
    const last = this.published.get(slug);
    if (last && last.appId === appId && last.rev > rev) return false;
    await this.commit('feeds', announcement, () => this.writeFeeds(slug, appId, placements, rev));
    return true;
  }
  private writeFeeds(slug: string, appId: string, placements: FeedPlacement[], rev: number) {
    this.log.push(`feeds ${slug}`);
    this.published.set(slug, { rev, appId });
    this.items.set(
      slug,
      new Map(
        placements.map(({ channel, feed }) => [
          keys.feed(slug, channel, feed.platform, feed.arch).SK,
          { encoded: encodeFeed(feed), appId },
        ]),
      ),
    );
  }
  /** Download links by `<appId>/<releaseId>#<artifactId>`, with the same ordering rule. */
  links = new Map<string, FileLink>();
  async storedLinks() {
    return new Map<string, string>();
  }
  async replaceLinks(
    appId: string,
    _slug: string | undefined,
    links: readonly FileLink[],
    rev: number,
    _stored: unknown,
    announcement?: Announcement,
  ) {
    if ((this.revs.get(appId) ?? 0) !== rev) return false;
    await this.commit('links', announcement, () => {
      for (const key of [...this.links.keys()]) if (key.startsWith(`${appId}/`)) this.links.delete(key);
      for (const link of links) this.links.set(`${appId}/${fileLinkId(link.releaseId, link.file.artifactId)}`, link);
    });
    return true;
  }
  /** The feed a client of the channel ("" = the default) on that platform and arch reads. */
  feed(slug: string, channel: string, platform: string, arch: string) {
    return decodeFeed(this.items.get(slug)?.get(keys.feed(slug, channel, platform, arch).SK)?.encoded);
  }
}

/** faynoSync views by owner name and app name, ordered by revision like the repository. */
class FakeViews implements Pick<FaynoViewRepository, 'replace' | 'remove'> {
  views = new Map<string, { view: FaynoView; rev: number }>();
  constructor(private readonly log: string[]) {}

  async replace(ownerName: string, view: FaynoView, rev: number, beforeChange: (leftNames: string[]) => Promise<void>) {
    const key = `${ownerName}/${view.appName}`;
    const existing = this.views.get(key);
    const same = existing?.view.appId === view.appId && JSON.stringify(existing.view) === JSON.stringify(view);
    const stale = [...this.views].filter(([k, v]) => k.startsWith(`${ownerName}/`) && k !== key && v.view.appId === view.appId);
    if (same && stale.length === 0) return false;
    await beforeChange(stale.map(([k]) => k.slice(ownerName.length + 1)));
    if (!same) {
      if (existing && (existing.view.appId !== view.appId || existing.rev > rev)) return false;
      this.log.push(`view ${key}`);
      this.views.set(key, { view, rev });
    }
    for (const [k] of stale) this.views.delete(k);
    return true;
  }
  async remove(ownerName: string, appId: string) {
    for (const [k, v] of this.views) if (k.startsWith(`${ownerName}/`) && v.view.appId === appId) this.views.delete(k);
  }
  view(ownerName: string, appName: string) {
    return this.views.get(`${ownerName}/${appName}`)?.view;
  }
}

/** The feed publisher over the fakes; releases are made through the real release and artifact services. */
function fixture(apps: App[]) {
  const world = releaseWorld(apps);
  const log: string[] = [];
  /** Each outbox item of edge state, as `key state` lines. */
  const edge: string[][] = [];
  const store = new InMemoryEdgeStore();
  const writer = new EdgeStateWriter(store);
  const feeds = new FakeFeeds(apps, log);
  const views = new FakeViews(log);
  /** The edge learns an update: from a stand-alone outbox item, or from one written in a rebuild's transaction. */
  const tell = async (updates: readonly EdgeStateUpdate[]) => {
    if (updates.length === 0) return;
    log.push(`edge ${updates.map((u) => u.key).join(' ')}`);
    edge.push(
      updates.map(
        (u) => `${u.key} ${u.state.deleted ? 'deleted' : u.state.private ? 'private' : 'public'}${u.filesChanged ? ' files' : ''}`,
      ),
    );
    await writer.apply(updates);
  };
  const outbox = {
    /** Set to make stand-alone outbox writes fail (the table throttles, the function dies before its PutItem). */
    down: false,
    enqueueEdgeState: async (updates: readonly EdgeStateUpdate[]) => {
      if (outbox.down && updates.length > 0) throw new Error('the outbox write failed');
      await tell(updates);
    },
  };
  feeds.onAnnounce = (announcement) => tell(announcement.updates);
  // The app's collection holds the fingerprint of its last announcement (written in the announcing transaction).
  const releases = {
    collection: async (appId: string) => {
      const announced = feeds.announced.get(appId);
      return { ...(await world.releases.collection(appId)), ...(announced ? { announced } : {}) };
    },
  };
  const publisher = new FeedPublisher(
    { get: async (id) => apps.find((a) => a.id === id), allByOwner: async (ownerId) => apps.filter((a) => a.ownerId === ownerId) },
    world.catalogs,
    releases,
    feeds,
    outbox,
    views,
  );
  /** A release published at once (the SyncKit flow) with one verified Linux file. */
  const release = async (app: App, version: string) => {
    const { release } = await world.releaseService.create(app, { version });
    await world.artifactService.uploadBytes(caller, app, release.id, {
      target: 'linux',
      arch: 'x86_64',
      bytes: Buffer.from(`v${version}`),
    });
    return release;
  };
  const offered = (slug: string, channel = 'stable') => feeds.feed(slug, channel, 'linux', 'x86_64')?.releases[0]?.version;
  const stateOf = (key: string) => decodeEdgeState(store.values.get(key));
  return { ...world, publisher, feeds, views, outbox, log, edge, stateOf, release, offered };
}

describe('feed publisher (with in-memory fakes)', () => {
  it("writes the app's feeds (its default channel also under the alias) and faynoSync's view", async () => {
    const app = newApp('App', { slug: 'app' });
    const { publisher, release, offered, views } = fixture([app]);
    await release(app, '1.0.0');
    await publisher.republish(app.id);
    assert.equal(offered('app'), '1.0.0');
    assert.equal(offered('app', DEFAULT_CHANNEL_ALIAS), '1.0.0', 'a client that names no channel gets the default');
    assert.equal(offered('app', 'nope'), undefined);
    assert.equal(views.view('alice', 'App')?.versions.stable?.[0]?.v, '1.0.0');
  });

  it("tells the edge the app's new revision under its slug, app id and faynoSync name once the change has committed: no purge", async () => {
    const app = newApp('App', { slug: 'app' });
    const { publisher, release, log, stateOf } = fixture([app]);
    await release(app, '1.0.0');
    await publisher.republish(app.id);
    const told = log.indexOf(`edge s/app a/${app.id} f/alice/App`);
    assert.ok(told > log.indexOf('feeds app') && told > log.indexOf('view alice/App'), `after the commit: ${log.join(' | ')}`);
    const first = stateOf('s/app');
    assert.ok(first && !first.private && !first.deleted);
    await release(app, '1.1.0');
    await new Promise((resolve) => setTimeout(resolve, 2));
    await publisher.republish(app.id);
    assert.ok((stateOf('s/app')?.rev ?? 0) > first.rev, 'a publish is a new revision: new cache keys');
    assert.deepEqual(stateOf('f/alice/App'), stateOf('s/app'));
  });

  it('tells the edge nothing when a rebuild changes nothing, and again when a release changes', async () => {
    const app = newApp('App', { slug: 'app' });
    const { publisher, release, edge, offered } = fixture([app]);
    await release(app, '1.0.0');
    await publisher.republish(app.id);
    edge.length = 0;
    await publisher.republish(app.id);
    assert.equal(edge.length, 0, 'nothing changed: nothing to tell');
    await release(app, '1.1.0');
    await publisher.republish(app.id);
    assert.equal(edge.length, 1);
    assert.equal(offered('app'), '1.1.0');
  });

  it("tells the edge a pin change without a new revision (only the pinned device's key moves); a release change after it keeps the pins", async () => {
    const app = newApp('App', { slug: 'app' });
    const { publisher, release, stateOf, feeds, catalogs, releases } = fixture([app]);
    const pins = new DevicePinService(catalogs, releases, publisher);
    const tick = () => new Promise((resolve) => setTimeout(resolve, 2));
    await release(app, '1.0.0');
    await publisher.republish(app.id);
    const before = stateOf('s/app');
    assert.ok(before);
    await tick();
    await pins.add(app, caller, { deviceId: 'qa-laptop', version: '1.0.0' });
    const hash = devicePinHash('qa-laptop');
    const pinned = stateOf('s/app');
    assert.equal(pinned?.rev, before.rev, "everyone else's key is the same");
    assert.deepEqual(pinned?.pins, [hash]);
    assert.ok((pinned?.pinsRev ?? 0) > before.rev, "the pinned device's key is new");
    assert.deepEqual(
      feeds.feed('app', 'stable', 'linux', 'x86_64')?.pins,
      { [hash]: { v: '1.0.0' } },
      'the feed items carry the pin first',
    );
    await tick();
    await release(app, '1.1.0');
    await publisher.republish(app.id);
    const published = stateOf('s/app');
    assert.ok((published?.rev ?? 0) > before.rev, 'a publish is still a new revision');
    assert.deepEqual(published?.pins, [hash]);
    assert.equal(published?.pinsRev, undefined, 'the new revision renews every key, the pinned one too');
    await tick();
    await pins.remove(app, hash);
    assert.equal(stateOf('s/app')?.rev, published?.rev);
    assert.equal(stateOf('s/app')?.pins, undefined);
    assert.equal(feeds.feed('app', 'stable', 'linux', 'x86_64')?.pins, undefined);
  });

  it('carries the partial rollouts, refuses a slug the app left, and changes artifact keys when files were removed', async () => {
    const app = newApp('App', { slug: 'app' });
    const { publisher, release, stateOf, releaseService } = fixture([app]);
    const r = await release(app, '1.0.0');
    await releaseService.setRollout(app, r.id, 20);
    await publisher.republish(app.id);
    assert.deepEqual(stateOf('s/app')?.rollouts, [[deviceBucket(r.id), 20]]);
    await new Promise((resolve) => setTimeout(resolve, 2));
    await publisher.republish(app.id, [...edgePaths.slug('old-app'), edgePaths.release(app.id, r.id)]);
    assert.equal(stateOf('s/old-app')?.deleted, true);
    assert.equal(stateOf(`a/${app.id}`)?.files, stateOf(`a/${app.id}`)?.rev);
    assert.equal(stateOf('s/app')?.files, undefined);
  });

  it('lets an older rebuild that loses the revision race stop: the newer state stays published', async () => {
    const app = newApp('App', { slug: 'app' });
    const f = fixture([app]);
    await f.release(app, '1.0.0');
    // The first rebuild reads the releases, then stalls before it writes.
    const read = f.releases.collection.bind(f.releases);
    let stall: (() => void) | undefined;
    let reached: () => void = () => {};
    const stalled = new Promise<void>((resolve) => {
      reached = resolve;
    });
    f.releases.collection = async (appId) => {
      const snapshot = await read(appId);
      if (!stall) {
        await new Promise<void>((resolve) => {
          stall = resolve;
          reached();
        });
      }
      return snapshot;
    };
    const older = f.publisher.republish(app.id);
    await stalled;
    await f.release(app, '2.0.0');
    await f.publisher.republish(app.id);
    stall?.();
    await older;
    assert.equal(f.offered('app'), '2.0.0');
    assert.equal(f.views.view('alice', 'App')?.versions.stable?.[0]?.v, '2.0.0');
  });

  it("takes an app off the edge at once and out of faynoSync, whoever's owner it is", async () => {
    const app = newApp('App', { slug: 'app' });
    const { publisher, release, views, stateOf, catalogs } = fixture([app]);
    await release(app, '1.0.0');
    await publisher.republish(app.id);
    await new Promise((resolve) => setTimeout(resolve, 2));
    await publisher.withdraw(app);
    assert.equal(views.view('alice', 'App'), undefined);
    for (const key of ['s/app', `a/${app.id}`, 'f/alice/App']) assert.equal(stateOf(key)?.deleted, true, key);
    catalogs.owner = undefined;
    await publisher.withdraw(app);
  });

  it("marks a private app's feeds with the flag and each feed's channel id; a public app's carry neither", async () => {
    const secret = newApp('Secret', { slug: 'secret', private: true });
    const open = newApp('Open', { slug: 'open' });
    const { publisher, release, feeds } = fixture([secret, open]);
    await release(secret, '1.0.0');
    await release(open, '1.0.0');
    await publisher.republishOwner('O');
    const privateFeed = feeds.feed('secret', 'stable', 'linux', 'x86_64');
    assert.equal(privateFeed?.private, true);
    assert.equal(privateFeed?.channelId, 'stable');
    const publicFeed = feeds.feed('open', 'stable', 'linux', 'x86_64');
    assert.ok(publicFeed);
    assert.equal('private' in publicFeed || 'channelId' in publicFeed, false);
  });

  it("rebuilds every app of an owner; an app without a slug gets faynoSync's view only, an app being deleted nothing", async () => {
    const apps = [newApp('One', { slug: 'one' }), newApp('Two', { slug: 'two' }), newApp('Unslugged'), newApp('Gone', { slug: 'gone' })];
    const { publisher, release, offered, views, feeds, edge } = fixture(apps);
    for (const app of apps) await release(app, '3.0.0');
    const gone = apps[3] as App;
    gone.deleting = true;
    await publisher.republishOwner('O');
    assert.deepEqual(
      ['one', 'two', 'gone'].map((slug) => offered(slug)),
      ['3.0.0', '3.0.0', undefined],
    );
    assert.deepEqual(
      ['One', 'Two', 'Unslugged', 'Gone'].map((name) => views.view('alice', name)?.versions.stable?.[0]?.v),
      ['3.0.0', '3.0.0', '3.0.0', undefined],
    );
    assert.deepEqual([...feeds.items.keys()].sort(), ['one', 'two']);
    edge.length = 0;
    await publisher.republish(gone.id, [`/ota/${gone.id}/*`]);
    assert.deepEqual(edge, [[`a/${gone.id} deleted files`]], "a deleted app's rebuild still refuses what the caller names");
  });

  it("writes one download link per published verified file, with its served name, privacy and channels; a yanked release's go", async () => {
    const app = newApp('App', { slug: 'app', private: true });
    const { publisher, release, feeds, releaseService } = fixture([app]);
    const first = await release(app, '1.0.0');
    await publisher.republish(app.id);
    const links = [...feeds.links.values()];
    assert.equal(links.length, 1);
    const link = links[0];
    assert.equal(link?.releaseId, first.id);
    assert.match(link?.name ?? '', /^app-1\.0\.0-linux-/, 'the name the feeds hand out under the slug');
    assert.equal(link?.private, true, "a private app's link says so: the download needs a token");
    assert.deepEqual(link?.channels, ['stable']);
    await releaseService.yank(app, first.id);
    await publisher.republish(app.id);
    assert.equal(feeds.links.size, 0, 'a yanked release is downloadable by no link');
  });

  it('loses no edge revision when the function dies between its writes: the retry announces what the first run committed', async () => {
    const app = newApp('App', { slug: 'app' });
    const { publisher, release, feeds, outbox, stateOf, offered } = fixture([app]);
    await release(app, '1.0.0');
    // No stand-alone outbox write stands between the feed commit and the edge: it is in the commit.
    outbox.down = true;
    await publisher.republish(app.id);
    outbox.down = false;
    assert.equal(offered('app'), '1.0.0');
    const before = stateOf('s/app')?.rev ?? 0;
    assert.ok(before > 0, 'the edge learnt the revision with the feeds, though no outbox write could be made');
    await release(app, '1.1.0');
    await new Promise((resolve) => setTimeout(resolve, 2));
    // The links (and the view) land, then the feed transaction, which carries the announcement, never commits.
    feeds.failNext = 'feeds';
    await assert.rejects(publisher.republish(app.id));
    assert.equal(offered('app'), '1.0.0');
    assert.equal(stateOf('s/app')?.rev, before, 'nothing was announced: the edge keys by the revision of what it serves');
    // The retry (the stream's or the caller's) finds its links already written, and still announces the new feeds.
    await publisher.republish(app.id);
    assert.equal(offered('app'), '1.1.0');
    assert.ok((stateOf('s/app')?.rev ?? 0) > before, 'the new revision reaches the edge with the answers it stands for');
    // And an app without a slug announces with its last commit, the download links'.
    const bare = newApp('Bare');
    const other = fixture([bare]);
    await other.release(bare, '1.0.0');
    other.feeds.failNext = 'links';
    await assert.rejects(other.publisher.republish(bare.id));
    assert.equal(other.stateOf(`a/${bare.id}`), undefined);
    await other.publisher.republish(bare.id);
    assert.ok(other.stateOf(`a/${bare.id}`), 'announced on the retry');
  });
});
