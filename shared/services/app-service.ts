import type { Caller } from '../domain/caller.js';
import { Invalid, shown } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { Job } from '../domain/job.js';
import { parseMinisignKey } from '../domain/minisign.js';
import type { App } from '../domain/model.js';
import { identityName } from '../domain/names.js';
import { slugProblem } from '../domain/slug.js';
import type { AppRepository } from '../storage/app-repository.js';
import { type CatalogRepository, entryByNameOrId } from '../storage/catalog-repository.js';
import { edgePaths } from '../storage/keys.js';
import type { FeedPublisher } from './feed-publisher.js';
import type { JobService } from './job-service.js';

/** faynoSync's app settings (all optional; the service's own API leaves them unset). */
export interface AppSettings {
  description?: string;
  private?: boolean;
  tuf?: boolean;
  reports?: boolean;
  cdn?: boolean;
}

export interface AppChanges extends AppSettings {
  name?: string;
  /** Name or id of a channel of the owner. */
  defaultChannel?: string;
  /** The Tauri updater public key (base64 `.key.pub`); empty removes it. */
  tauriPublicKey?: string;
}

/** Creating, listing, renaming and re-slugging apps (deleting: DeletionService). Callers arrive already authorized. */
export class AppService {
  constructor(
    private readonly apps: AppRepository,
    private readonly catalogs: CatalogRepository,
    private readonly publisher: Pick<FeedPublisher, 'republish'>,
    /** Starts the job that retags an app's objects when it turns private or public; only the routes that change privacy carry it (and the S3 client). */
    private readonly jobs: Pick<JobService, 'start'> | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Creates an app; 409 when the owner already has an app of that name. `deriveSlug`: with a slug
   * of its own at once, derived from the name (faynoSync's apps, whose updaters' answers redirect to the feeds under it).
   */
  async create(caller: Caller, name: string, settings: AppSettings = {}, options: { deriveSlug?: boolean } = {}): Promise<App> {
    const now = this.now().toISOString();
    await this.catalogs.ensureOwner(caller.ownerId, now, caller.ownerName);
    const app: App = {
      id: newId(),
      name: identityName(name),
      ownerId: caller.ownerId,
      defaultChannelId: 'stable',
      ...definedSettings(settings),
      createdAt: now,
      updatedAt: now,
    };
    return this.apps.create(app, options);
  }

  /** The caller's apps, each with the name of its default channel. */
  async list(caller: Caller): Promise<{ app: App; defaultChannel: string }[]> {
    const [apps, catalog] = await Promise.all([this.apps.allByOwner(caller.ownerId), this.catalogs.all(caller.ownerId)]);
    const channels = new Map(catalog.channels.map((c) => [c.id, c.name]));
    return apps.map((app) => ({ app, defaultChannel: channels.get(app.defaultChannelId) ?? app.defaultChannelId }));
  }

  /**
   * The id of the caller's app of this name (faynoSync addresses apps by name): the name claim, one
   * read. Apps created before names were claimed hold none: a name nobody claims is looked for among
   * all the owner's apps (the oldest of the name wins). Undefined when the caller has no such app.
   */
  async idByName(caller: Caller, name: string): Promise<string | undefined> {
    const claimed = await this.apps.nameHolder(caller.ownerId, name);
    if (claimed !== undefined) return claimed;
    return (await this.apps.allByOwner(caller.ownerId)).find((app) => app.name === name)?.id;
  }

  async update(app: App, changes: AppChanges): Promise<App> {
    return (await this.updateWithJob(app, changes)).app;
  }

  /** Changes an app; a privacy change also starts the job that retags its objects (done already for a small app). */
  async updateWithJob(app: App, changes: AppChanges): Promise<{ app: App; job?: Job }> {
    let defaultChannelId = app.defaultChannelId;
    if (changes.defaultChannel !== undefined) {
      const channel = await entryByNameOrId(this.catalogs, app.ownerId, 'channel', changes.defaultChannel);
      if (!channel) throw new Invalid(`default_channel: no channel ${shown(changes.defaultChannel)}`);
      defaultChannelId = channel.id;
    }
    const { name, defaultChannel: _channel, tauriPublicKey: _key, ...settings } = changes;
    const next: App = {
      ...app,
      name: name === undefined ? app.name : identityName(name),
      defaultChannelId,
      ...definedSettings(settings),
      updatedAt: this.now().toISOString(),
    };
    if (changes.tauriPublicKey !== undefined) {
      if (changes.tauriPublicKey.trim() === '') delete next.tauriPublicKey;
      else {
        parseMinisignKey(changes.tauriPublicKey);
        next.tauriPublicKey = changes.tauriPublicKey.trim();
      }
    }
    await this.apps.update(next, app);
    if (changes.private !== undefined) {
      // Private or public: the feeds (which say whether a token is needed) and the edge state (which
      // refuses a private app's public paths, its files included) change with this request; the
      // objects' tags, a second lock on the bucket's public path, follow in a job that may outlive
      // it (docs/operations.md#background-jobs). Sent again, the change starts a job that retags all.
      if (!this.jobs) throw new Error('this route changes privacy: build it with appServiceWithPrivacy()');
      await this.publisher.republish(app.id, privacyPurge(next));
      const job = await this.jobs.start(app.ownerId, { kind: 'app-privacy', appId: app.id, private: next.private === true });
      return { app: next, job };
    }
    if (defaultChannelId !== app.defaultChannelId || next.name !== app.name) {
      // faynoSync's answers find the app by name: a rename moves them, as a new default channel moves the feeds.
      await this.publisher.republish(app.id);
    }
    return { app: next };
  }

  /** True while the app has releases (faynoSync refuses to delete such an app). */
  hasReleases(app: App): Promise<boolean> {
    return this.apps.hasReleases(app.id);
  }

  async setSlug(app: App, slug: string): Promise<App> {
    const problem = slugProblem(slug);
    if (problem) throw new Invalid(problem);
    if (app.slug === slug) return app;
    await this.apps.changeSlug(app, slug);
    // The old slug's feeds go (nobody can claim it while they exist under this app's id, and
    // checks there must answer 404); the new slug's feeds are published by the rebuild.
    if (app.slug) await this.apps.deleteFeeds(app.slug, app.id);
    await this.publisher.republish(app.id, app.slug ? edgePaths.slug(app.slug) : []);
    return { ...app, slug };
  }
}

/** Every edge path an app's answers or bytes may be cached under: purged when it turns private or public. */
function privacyPurge(app: App): string[] {
  return [edgePaths.app(app.id), edgePaths.appFiles(app.id), ...(app.slug ? edgePaths.slug(app.slug) : []), ...edgePaths.faynoAnswers];
}

function definedSettings(settings: AppSettings): AppSettings {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as AppSettings;
}
