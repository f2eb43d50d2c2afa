import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { Conflict, Invalid, NotFound, shown } from '../domain/errors.js';
import { artifactFileName } from '../domain/fayno-links.js';
import { isId, newId } from '../domain/ids.js';
import { type App, type Artifact, type Halt, type HaltRule, type Release, releaseChannels } from '../domain/model.js';
import { compareVersions, isPrerelease, versionIdentity } from '../domain/version.js';
import { type CatalogRepository, entryByNameOrId, type OwnerCatalog } from '../storage/catalog-repository.js';
import type { ReleaseRepository } from '../storage/release-repository.js';
import type { FeedPublisher } from './feed-publisher.js';

export interface NewRelease {
  version: string;
  /** Name (or id) of a channel; absent = the app's default channel, published as soon as an artifact is ready (the SyncKit flow). */
  channel?: string;
  /** Publish at once (true) or create a draft (false); absent = draft when a channel is named, published otherwise. */
  publish?: boolean;
  publishAt?: string;
  /**
   * A draft's creator asks to publish it once every artifact is verified (faynoSync's upload that
   * creates a version with `publish: true`): the caller's id. Ignored when published at once.
   */
  publishRequestedBy?: string;
  notes?: string;
  changelog?: string;
  signature?: string;
  pubDate?: string;
  critical?: boolean;
  intermediate?: boolean;
  rolloutPercent?: number;
  /** Halts the rollout on its own when install reports fail (install-reports.ts). */
  haltRule?: HaltRule;
}

export type ReleaseChanges = Partial<
  Pick<NewRelease, 'channel' | 'notes' | 'changelog' | 'signature' | 'pubDate' | 'critical' | 'intermediate'>
> & {
  /** A halt rule for the rollout; null removes it. */
  haltRule?: HaltRule | null;
};

export interface ReleaseFilter {
  channel?: string;
  status?: Release['status'];
  /** faynoSync's filter: true = published only, false = drafts and yanked releases. */
  published?: boolean;
  critical?: boolean;
  platform?: string;
  arch?: string;
}

export interface ReleaseView {
  release: Release;
  artifacts: Artifact[];
  /** Names of the catalog entries the release and its artifacts refer to. */
  names: { channel: string; promotedTo: string[]; platforms: Record<string, string>; archs: Record<string, string> };
}

export interface ReleasePage {
  items: ReleaseView[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  next?: string;
}

/** What the release service reads and writes (narrow, so tests can pass in-memory fakes). */
export type ReleaseServiceCatalogs = Pick<CatalogRepository, 'findByName' | 'get' | 'all'>;
export type ReleaseServiceReleases = Pick<
  ReleaseRepository,
  'create' | 'collection' | 'get' | 'getWithArtifacts' | 'update' | 'updateAll' | 'getArtifact' | 'appOfRelease'
>;

/** What a rollback changed: the release the channel serves again, and those taken out of the channel. */
export interface Rollback {
  /** The channel's name. */
  channel: string;
  to: ReleaseView;
  /** Releases of the channel's own newer than the target: yanked (out of every answer, can be published again). */
  yanked: ReleaseView[];
  /** Newer releases that had been promoted into the channel: the promotion is withdrawn, their own channel keeps them. */
  withdrawn: ReleaseView[];
}

/** Creating, finding, editing, publishing and yanking releases (deleting: DeletionService). */
export class ReleaseService {
  constructor(
    private readonly catalogs: ReleaseServiceCatalogs,
    private readonly releases: ReleaseServiceReleases,
    private readonly publisher: Pick<FeedPublisher, 'republish'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(app: App, input: NewRelease): Promise<ReleaseView> {
    const channelId = input.channel === undefined ? app.defaultChannelId : await this.channelId(app, input.channel);
    const now = this.now().toISOString();
    const publish = input.publish ?? input.channel === undefined;
    const release: Release = {
      id: newId(),
      appId: app.id,
      version: input.version,
      channelId,
      status: publish ? 'published' : 'draft',
      ...(publish && input.publishAt ? { publishAt: input.publishAt } : {}),
      ...(!publish && input.publishRequestedBy ? { publishRequest: { by: input.publishRequestedBy, at: now } } : {}),
      notes: input.notes ?? '',
      changelog: input.changelog ?? '',
      ...(input.signature ? { signature: input.signature } : {}),
      critical: input.critical ?? false,
      intermediate: input.intermediate ?? false,
      rolloutPercent: input.rolloutPercent ?? 100,
      ...(input.haltRule ? { haltRule: input.haltRule } : {}),
      pubDate: input.pubDate ?? input.publishAt ?? now,
      createdAt: now,
      updatedAt: now,
    };
    await this.releases.create(release, app.ownerId);
    return this.view(app, release, []);
  }

  /**
   * The release of the version: the existing one (as it is: later uploads only add files), else a
   * new one made of `input`. Race-safe: when a concurrent request creates the same version first
   * (its version claim is taken), that release is answered.
   */
  async findOrCreate(app: App, input: NewRelease): Promise<ReleaseView> {
    const existing = await this.findByVersion(app, input.version);
    if (existing) return existing;
    try {
      return await this.create(app, input);
    } catch (error) {
      if (!(error instanceof Conflict && error.reason === 'version_exists')) throw error;
      const raced = await this.findByVersion(app, input.version);
      if (!raced) throw error;
      return raced;
    }
  }

  /**
   * The one upload confirmation: the release once every declared file is verified. A refused file
   * is a 400 naming it (`upload_refused`), files still arriving or being verified a 409
   * (`upload_pending`); each face words them its own way (FACE_ERROR_WORDS).
   */
  async confirmUploads(app: App, releaseId: string): Promise<ReleaseView> {
    const view = await this.get(app, releaseId);
    const refused = view.artifacts.find((a) => a.status === 'rejected' || a.status === 'failed');
    if (refused) {
      const facts = { file: describeFile(app, view, refused), status: refused.status, reason: refused.reason ?? 'verification failed' };
      throw new Invalid(`file ${facts.file} was ${facts.status}: ${facts.reason}`, 'upload_refused', facts);
    }
    const pending = view.artifacts.filter((a) => a.status === 'pending');
    if (pending.length > 0) {
      const facts = { count: String(pending.length), files: pending.map((a) => describeFile(app, view, a)).join(', ') };
      throw new Conflict(
        `${facts.count} file${pending.length === 1 ? ' is' : 's are'} not verified yet (${facts.files}): upload each, then confirm again`,
        'upload_pending',
        facts,
      );
    }
    return view;
  }

  /** Releases matching the filter, newest version first, `limit` per page. */
  async search(app: App, filter: ReleaseFilter, limit: number, cursor?: string): Promise<ReleasePage> {
    const { catalog, matching, artifacts } = await this.matching(app, filter);
    const start = cursor === undefined ? 0 : matching.findIndex((r) => r.id === decodeCursor(cursor, isId)) + 1;
    if (cursor !== undefined && start === 0) throw new Invalid('cursor is not valid for this search');
    const page = matching.slice(start, start + limit);
    const last = page[page.length - 1];
    return {
      items: page.map((release) =>
        this.viewWith(
          catalog,
          release,
          artifacts.filter((a) => a.releaseId === release.id),
        ),
      ),
      ...(last && start + limit < matching.length ? { next: encodeCursor(last.id) } : {}),
    };
  }

  /** Releases matching the filter, newest version first, by page number (faynoSync's `page`/`limit`), with the total. */
  async searchPage(app: App, filter: ReleaseFilter, page: number, limit: number): Promise<{ items: ReleaseView[]; total: number }> {
    const { catalog, matching, artifacts } = await this.matching(app, filter);
    const items = matching.slice((page - 1) * limit, page * limit).map((release) =>
      this.viewWith(
        catalog,
        release,
        artifacts.filter((a) => a.releaseId === release.id),
      ),
    );
    return { items, total: matching.length };
  }

  private async matching(app: App, filter: ReleaseFilter): Promise<{ catalog: OwnerCatalog; matching: Release[]; artifacts: Artifact[] }> {
    const catalog = await this.catalogs.all(app.ownerId);
    const channelId = filter.channel === undefined ? undefined : byName(catalog.channels, filter.channel);
    const platformId = filter.platform === undefined ? undefined : byName(catalog.platforms, filter.platform);
    const archId = filter.arch === undefined ? undefined : byName(catalog.archs, filter.arch);
    const { releases, artifacts } = await this.releases.collection(app.id);
    const matching = releases
      .filter((r) => channelId === undefined || r.channelId === channelId)
      .filter((r) => filter.status === undefined || r.status === filter.status)
      .filter((r) => filter.published === undefined || (r.status === 'published') === filter.published)
      .filter((r) => filter.critical === undefined || r.critical === filter.critical)
      .filter(
        (r) =>
          (platformId === undefined && archId === undefined) ||
          artifacts.some(
            (a) =>
              a.releaseId === r.id &&
              (platformId === undefined || a.platformId === platformId) &&
              (archId === undefined || a.archId === archId),
          ),
      )
      .sort((a, b) => compareVersions(b.version, a.version) || b.createdAt.localeCompare(a.createdAt));
    return { catalog, matching, artifacts };
  }

  /** The release of a version (versions that compare equal are one version), with its artifacts; undefined when there is none. */
  async findByVersion(app: App, version: string): Promise<ReleaseView | undefined> {
    const identity = versionIdentity(version);
    const { releases, artifacts } = await this.releases.collection(app.id);
    const release = releases.find((r) => versionIdentity(r.version) === identity);
    if (!release) return undefined;
    return this.view(
      app,
      release,
      artifacts.filter((a) => a.releaseId === release.id),
    );
  }

  /**
   * The id of the owner's app that holds a release (faynoSync names a version by its id alone):
   * one read of the lookup item written with the release. Releases created before that item existed
   * have none: for them (and for ids that name no release) each of `ownApps` is asked, one read per
   * app. Undefined when no app of the owner holds it.
   */
  async appOf(ownerId: string, releaseId: string, ownApps: () => Promise<readonly App[]>): Promise<string | undefined> {
    const recorded = await this.releases.appOfRelease(ownerId, releaseId);
    if (recorded !== undefined) return recorded;
    const apps = await ownApps();
    const held = await Promise.all(apps.map(async (app) => ((await this.releases.get(app.id, releaseId)) ? app.id : undefined)));
    return held.find((appId) => appId !== undefined);
  }

  /** The release with its artifacts, or undefined when the app holds no release of this id. */
  async find(app: App, releaseId: string): Promise<ReleaseView | undefined> {
    const found = await this.releases.getWithArtifacts(app.id, releaseId);
    return found && this.view(app, found.release, found.artifacts);
  }

  async get(app: App, releaseId: string): Promise<ReleaseView> {
    const found = await this.find(app, releaseId);
    if (!found) throw new NotFound(`Release ${shown(releaseId)} not found`);
    return found;
  }

  /** One artifact of the release, or undefined when the release holds none of this id. */
  findArtifact(app: App, releaseId: string, artifactId: string): Promise<Artifact | undefined> {
    return this.releases.getArtifact(app.id, releaseId, artifactId);
  }

  /** One artifact with the names of its platform and arch. */
  async artifact(app: App, releaseId: string, artifactId: string): Promise<{ artifact: Artifact; platform: string; arch: string }> {
    const artifact = await this.findArtifact(app, releaseId, artifactId);
    if (!artifact) throw new NotFound(`Artifact ${shown(artifactId)} not found`);
    const [platform, arch] = await Promise.all([
      this.catalogs.get(app.ownerId, 'platform', artifact.platformId),
      this.catalogs.get(app.ownerId, 'arch', artifact.archId),
    ]);
    return { artifact, platform: platform?.name ?? artifact.platformId, arch: arch?.name ?? artifact.archId };
  }

  async update(app: App, releaseId: string, changes: ReleaseChanges): Promise<ReleaseView> {
    const { release, artifacts } = await this.get(app, releaseId);
    const channelId = changes.channel === undefined ? release.channelId : await this.channelId(app, changes.channel);
    const next: Release = {
      ...release,
      channelId,
      notes: changes.notes ?? release.notes,
      changelog: changes.changelog ?? release.changelog,
      critical: changes.critical ?? release.critical,
      intermediate: changes.intermediate ?? release.intermediate,
      pubDate: changes.pubDate ?? release.pubDate,
      updatedAt: this.now().toISOString(),
    };
    if (changes.signature !== undefined) {
      if (changes.signature) next.signature = changes.signature;
      else delete next.signature;
    }
    withHaltRule(next, changes.haltRule);
    return this.save(app, release, next, artifacts);
  }

  /**
   * Publishes a draft (or a yanked release again), at once or from `at`. Refused while any
   * declared artifact has not arrived or failed its checks, or when none is verified.
   */
  async publish(app: App, releaseId: string, at?: string): Promise<ReleaseView> {
    const { release, artifacts } = await this.get(app, releaseId);
    assertPublishable(release, artifacts);
    const { publishRequest: _done, ...rest } = release;
    const next: Release = { ...rest, status: 'published', updatedAt: this.now().toISOString() };
    if (at && Date.parse(at) > this.now().getTime()) next.publishAt = at;
    else delete next.publishAt;
    return this.save(app, release, next, artifacts);
  }

  /**
   * Publishes a draft whose creator asked for it (`publishRequest`) once every artifact is
   * verified and there is at least one; otherwise changes nothing. Called after each upload of the
   * release completes, by whichever arrives: the one that sees every file verified publishes. The
   * write is conditional on the release being unchanged since it was read; when another request
   * changed it meanwhile, the decision is made again on what it left (published already: done).
   */
  async fulfilPublishRequest(app: App, releaseId: string): Promise<ReleaseView> {
    for (let attempt = 1; ; attempt++) {
      const { release, artifacts } = await this.get(app, releaseId);
      const ready = publishable(artifacts);
      if (!release.publishRequest || release.status !== 'draft' || !ready) return this.view(app, release, artifacts);
      const { publishRequest: _done, ...rest } = release;
      try {
        return await this.save(app, release, { ...rest, status: 'published', updatedAt: this.now().toISOString() }, artifacts);
      } catch (error) {
        if (!(error instanceof Conflict) || attempt >= FULFIL_ATTEMPTS) throw error;
      }
    }
  }

  /** Takes a published release out of every answer; clients fall back to the channel's previous release. */
  async yank(app: App, releaseId: string): Promise<ReleaseView> {
    const { release, artifacts } = await this.get(app, releaseId);
    if (release.status === 'draft') throw new Conflict('A draft is not offered to anyone; delete it instead of yanking it');
    return this.save(app, release, { ...release, status: 'yanked', updatedAt: this.now().toISOString() }, artifacts);
  }

  /**
   * Offers a published release in one more channel with the same artifacts (no copy, no second
   * verification: the feed items of that channel point at the very object versions ingest pinned).
   * A version exists once per app, so the target channel cannot hold another release of it.
   * Promoting into a channel that already offers the release changes nothing.
   */
  async promote(app: App, releaseId: string, channel: string): Promise<ReleaseView> {
    const { release, artifacts } = await this.get(app, releaseId);
    if (release.status !== 'published') {
      throw new Conflict(`Release ${release.version} is ${release.status}: only a published release is promoted (publish it first)`);
    }
    assertPublishable(release, artifacts);
    const catalog = await this.catalogs.all(app.ownerId);
    const target = catalog.channels.find((c) => c.id === channel || c.name === channel);
    if (!target) throw new Invalid(`channel: no channel ${shown(channel)}; create it first`);
    if (!target.allowPrerelease && isPrerelease(release.version)) {
      throw new Conflict(`Channel ${shown(target.name)} does not take pre-release versions such as ${release.version}`);
    }
    if (releaseChannels(release).includes(target.id)) return this.viewWith(catalog, release, artifacts);
    const next: Release = { ...release, promotedTo: [...(release.promotedTo ?? []), target.id], updatedAt: this.now().toISOString() };
    return this.save(app, release, next, artifacts);
  }

  /**
   * Rolls a channel back to one of its published versions in one step: every published release
   * newer than it that the channel offers (scheduled ones included) leaves the channel, in one
   * transaction and one feed rebuild. The channel's own releases are yanked (not halted: a halted
   * release stays published at 0 %, where a rollout raise or an automatic resume would offer it
   * again; a yank is the documented "out of every answer at once", and publishing it again undoes
   * it); a release promoted into the channel loses that promotion only, so its own channel keeps it.
   * Releases the channel gets by following another channel are that channel's to roll back.
   */
  async rollback(app: App, channel: string, version: string): Promise<Rollback> {
    const catalog = await this.catalogs.all(app.ownerId);
    const target = catalog.channels.find((c) => c.id === channel || c.name === channel);
    if (!target) throw new NotFound(`No channel ${shown(channel)}`);
    const { releases, artifacts } = await this.releases.collection(app.id);
    const identity = versionIdentity(version);
    const to = releases.find((r) => versionIdentity(r.version) === identity);
    if (!to || !releaseChannels(to).includes(target.id)) throw new NotFound(`Channel ${target.name} has no release ${shown(version)}`);
    if (to.status !== 'published') {
      throw new Conflict(`Release ${to.version} is ${to.status}: publish it again first, then roll back to it`);
    }
    const now = this.now().toISOString();
    const changes: { previous: Release; next: Release }[] = [];
    for (const release of releases) {
      if (release.status !== 'published' || compareVersions(release.version, to.version) <= 0) continue;
      if (release.channelId === target.id) {
        changes.push({ previous: release, next: { ...release, status: 'yanked', updatedAt: now } });
      } else if (release.promotedTo?.includes(target.id)) {
        const promotedTo = release.promotedTo.filter((id) => id !== target.id);
        const { promotedTo: _gone, ...rest } = release;
        changes.push({ previous: release, next: { ...rest, ...(promotedTo.length > 0 ? { promotedTo } : {}), updatedAt: now } });
      }
    }
    await this.releases.updateAll(changes, app.ownerId);
    if (changes.length > 0) await this.publisher.republish(app.id);
    const viewOf = (release: Release) =>
      this.viewWith(
        catalog,
        release,
        artifacts.filter((a) => a.releaseId === release.id),
      );
    const newestFirst = changes.map((c) => c.next).sort((a, b) => compareVersions(b.version, a.version));
    return {
      channel: target.name,
      to: viewOf(to),
      yanked: newestFirst.filter((r) => r.status === 'yanked').map(viewOf),
      withdrawn: newestFirst.filter((r) => r.status === 'published').map(viewOf),
    };
  }

  /**
   * Offers a release to a percentage of devices (0 halts it, 100 is everyone), optionally with a
   * halt rule (null removes it). A person's decision replaces a halt rule's: `halted` is cleared.
   */
  async setRollout(app: App, releaseId: string, percent: number, haltRule?: HaltRule | null): Promise<ReleaseView> {
    const { release, artifacts } = await this.get(app, releaseId);
    const { halted: _decided, ...rest } = release;
    const next: Release = { ...rest, rolloutPercent: percent, updatedAt: this.now().toISOString() };
    withHaltRule(next, haltRule);
    return this.save(app, release, next, artifacts);
  }

  /**
   * A halt rule's halt: the rollout set to 0 % through the same save as a person's (feeds rebuilt,
   * edge state written after), recording why. Conditional on the release as it was read: of
   * concurrent halts one writes, the others find it halted and answer undefined, as does a release
   * that is no longer rolling out or whose rule no longer trips (`trips` decides on what was read).
   */
  async halt(app: App, releaseId: string, trips: (release: Release) => Halt | undefined): Promise<ReleaseView | undefined> {
    for (let attempt = 1; ; attempt++) {
      const { release, artifacts } = await this.get(app, releaseId);
      const halt = release.halted || release.rolloutPercent === 0 ? undefined : trips(release);
      if (!halt) return undefined;
      try {
        return await this.save(
          app,
          release,
          { ...release, rolloutPercent: 0, halted: halt, updatedAt: this.now().toISOString() },
          artifacts,
        );
      } catch (error) {
        if (!(error instanceof Conflict) || attempt >= FULFIL_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Several changes saved at once (one feed rebuild): faynoSync's version edit. `published: true`
   * publishes a draft or yanked release (refused, as `publish` refuses, while an artifact is not
   * verified or none is); `published: false` yanks a published one and leaves others as they are.
   */
  async edit(
    app: App,
    releaseId: string,
    changes: Pick<ReleaseChanges, 'critical' | 'intermediate' | 'changelog'> & { rolloutPercent?: number; published?: boolean },
  ): Promise<ReleaseView> {
    const { release, artifacts } = await this.get(app, releaseId);
    const next: Release = {
      ...release,
      critical: changes.critical ?? release.critical,
      intermediate: changes.intermediate ?? release.intermediate,
      changelog: changes.changelog ?? release.changelog,
      rolloutPercent: changes.rolloutPercent ?? release.rolloutPercent,
      updatedAt: this.now().toISOString(),
    };
    // A person's rollout replaces a halt rule's decision, as setRollout does.
    if (changes.rolloutPercent !== undefined) delete next.halted;
    // Setting `published` either way is the editor's decision: it replaces a creator's pending request.
    if (changes.published !== undefined) delete next.publishRequest;
    if (changes.published === true && release.status !== 'published') {
      assertPublishable(release, artifacts);
      next.status = 'published';
      delete next.publishAt;
    } else if (changes.published === false && release.status === 'published') {
      next.status = 'yanked';
    }
    return this.save(app, release, next, artifacts);
  }

  private async save(app: App, previous: Release, next: Release, artifacts: Artifact[]): Promise<ReleaseView> {
    await this.releases.update(previous, next, app.ownerId);
    await this.publisher.republish(app.id);
    return this.view(app, next, artifacts);
  }

  private async channelId(app: App, ref: string): Promise<string> {
    const channel = await entryByNameOrId(this.catalogs, app.ownerId, 'channel', ref);
    if (!channel) throw new Invalid(`channel: no channel ${shown(ref)}; create it first`);
    return channel.id;
  }

  private async view(app: App, release: Release, artifacts: Artifact[]): Promise<ReleaseView> {
    return this.viewWith(await this.catalogs.all(app.ownerId), release, artifacts);
  }

  private viewWith(catalog: OwnerCatalog, release: Release, artifacts: Artifact[]): ReleaseView {
    const name = (list: { id: string; name: string }[], id: string) => list.find((e) => e.id === id)?.name ?? id;
    return {
      release,
      artifacts,
      names: {
        channel: name(catalog.channels, release.channelId),
        promotedTo: (release.promotedTo ?? []).map((id) => name(catalog.channels, id)),
        platforms: Object.fromEntries(artifacts.map((a) => [a.platformId, name(catalog.platforms, a.platformId)])),
        archs: Object.fromEntries(artifacts.map((a) => [a.archId, name(catalog.archs, a.archId)])),
      },
    };
  }
}

/** Reads and conditional writes of one publish request before answering 409 (each retry follows another writer's success). */
const FULFIL_ATTEMPTS = 5;

function byName(entries: { id: string; name: string }[], name: string): string {
  // An unknown name matches nothing rather than everything.
  return entries.find((e) => e.name === name || e.id === name)?.id ?? `unknown:${name}`;
}

/** Sets (a rule), removes (null) or keeps (undefined) a release's halt rule. */
function withHaltRule(release: Release, rule: HaltRule | null | undefined): void {
  if (rule === null) delete release.haltRule;
  else if (rule !== undefined) release.haltRule = rule;
}

/** A release may be published once it has a file and every declared file is verified. */
function publishable(artifacts: readonly Artifact[]): boolean {
  return artifacts.length > 0 && artifacts.every((a) => a.status === 'ready');
}

/** Refuses (409) to publish a release while any declared file is not verified, or when it has none. */
export function assertPublishable(release: Release, artifacts: readonly Artifact[]): void {
  const unverified = artifacts.filter((a) => a.status !== 'ready');
  if (unverified.length > 0) {
    const list = unverified.map((a) => `${a.id} (${a.status}${a.reason ? `: ${a.reason}` : ''})`).join(', ');
    throw new Conflict(`Release ${release.version} has artifacts that are not verified: ${list}`);
  }
  if (artifacts.length === 0) throw new Conflict(`Release ${release.version} has no verified artifact to publish`);
}

/** A file as a person finds it: its download name with its platform and arch (`App-1.0.0.zip (darwin/aarch64)`). */
export function describeFile(app: App, view: ReleaseView, artifact: Artifact): string {
  const platform = view.names.platforms[artifact.platformId] ?? artifact.platformId;
  const arch = view.names.archs[artifact.archId] ?? artifact.archId;
  return `${artifactFileName(app.name, view.release.version, artifact.package)} (${platform}/${arch})`;
}
