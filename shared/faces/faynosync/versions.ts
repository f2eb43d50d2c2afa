/**
 * faynoSync's versions on the one release model: a faynoSync "version" is one Release per (app,
 * version), each uploaded file one Artifact of it. Uploads (in the body, or presigned then
 * confirmed), edits, deletes, search and download, with faynoSync's checks, texts and answers.
 * Callers arrive authenticated; every app is authorized through `authorize` (another owner's app
 * is a 404) before it is touched.
 */
import type { Caller } from '../../domain/caller.js';
import { ANY_ARCH_ID, ANY_PLATFORM_ID, type CatalogEntry } from '../../domain/catalog.js';
import { Conflict, Invalid, NotFound } from '../../domain/errors.js';
import { artifactLink, packageWithDot } from '../../domain/fayno-links.js';
import { isId } from '../../domain/ids.js';
import type { App, Artifact } from '../../domain/model.js';
import { haltedDto } from '../../http/dto.js';
import type { AppService } from '../../services/app-service.js';
import type { CatalogService } from '../../services/catalog-service.js';
import type { DeletionService } from '../../services/deletion-service.js';
import type { ReleaseService, ReleaseView } from '../../services/release-service.js';
import type { ReleaseUploads } from '../../services/release-uploads.js';
import type { ArtifactStore } from '../../storage/artifact-store.js';
import { MAX_SINGLE_COPY_BYTES } from '../../storage/artifact-store.js';
import { parseFileKey } from './download-key.js';
import { type ArtifactDeleteData, checkNames, checkUpdaterFiles, notStoredReason, packageOf, type VersionData } from './upload-wire.js';

/** Authorizes the route's action on one app by id (404 for another owner's) and answers it. */
export type AuthorizeApp = (appId: string) => Promise<App>;

/** A file of an upload: its name and, for uploads in the body, its bytes. */
export interface IncomingFile {
  name: string;
  bytes?: Uint8Array;
  size: number;
  sha256?: string;
}

/** One file of a presigned upload: where to PUT it. */
export interface PresignedFile {
  name: string;
  artifact_id: string;
  upload_url: string;
  expires_at: string;
}

/** faynoSync's Version object of `/search`. */
export interface WireVersion {
  ID: string;
  AppName: string;
  Version: string;
  Channel: string;
  Published: boolean;
  Critical: boolean;
  Intermediate: boolean;
  Artifacts: { link: string; platform: string; arch: string; package: string }[];
  Changelog: { Version: string; Changes: string; Date: string }[];
  Updated_at: string;
  RolloutPercent: number;
  /** Ours: why a halt rule stopped the version's rollout (RolloutPercent is then 0); null otherwise. */
  Halted: ReturnType<typeof haltedDto>;
}

export interface SearchQuery {
  appName?: string;
  channel?: string;
  published?: boolean;
  critical?: boolean;
  platform?: string;
  arch?: string;
  page: number;
  limit: number;
}

const APP_NOT_FOUND_UPLOAD = "app_name not found in apps_meta collection or you don't have permission to access it";
const APP_NOT_FOUND = 'app_name not found in apps_meta collection';
const VERSION_NOT_FOUND = "app with this parameters doesn't exist";
const DUPLICATE = 'app with this name, version, platform, architecture and extension already exists';
const BAD_ID = 'the provided hex string is not a valid ObjectID';
const NOT_REQUESTED =
  'this version was not created by an upload that asked to publish it, so confirm does not publish it: ' +
  'publish it with POST /apps/update ("publish": true), which needs the edit permission';

/** A file resolved to where it goes: a package to store under (platform, arch, package), or accepted and not stored. */
interface PlannedFile {
  file: IncomingFile;
  pkg?: string;
  skipped?: string;
}

/** What the catalog checks resolved: the ids and names the version's files go under. */
interface Placement {
  channel: CatalogEntry;
  platform: CatalogEntry;
  arch: CatalogEntry;
}

export class FaynoVersions {
  constructor(
    private readonly apps: Pick<AppService, 'list' | 'idByName'>,
    private readonly catalog: Pick<CatalogService, 'all'>,
    private readonly releases: Pick<
      ReleaseService,
      'appOf' | 'find' | 'get' | 'fulfilPublishRequest' | 'edit' | 'searchPage' | 'findArtifact'
    >,
    private readonly uploads: Pick<ReleaseUploads, 'findOrCreate' | 'storeOrDiscard' | 'requestUpload' | 'confirm'>,
    private readonly deletion: Pick<DeletionService, 'deleteRelease' | 'deleteArtifact'>,
    private readonly store: Pick<ArtifactStore, 'presignDownload'>,
    private readonly baseUrl: string,
  ) {}

  /**
   * One file of the request as a verified artifact; a refused file leaves nothing behind (400 with
   * the reason). Undefined when a concurrent upload stored the same file (platform, arch, package)
   * meanwhile; any other race with one is a 409 to retry.
   */
  private async storeFile(
    caller: Caller,
    app: App,
    releaseId: string,
    placement: Placement,
    pkg: string,
    file: { name: string; bytes: Uint8Array },
    options: { signature: string; republishing?: boolean },
  ): Promise<Artifact | undefined> {
    try {
      return await this.uploads.storeOrDiscard(caller, app, releaseId, {
        file: file.name,
        target: placement.platform.name,
        arch: placement.arch.name,
        entries: { platform: placement.platform, arch: placement.arch },
        package: pkg,
        bytes: file.bytes,
        ...(options.signature ? { signature: options.signature } : {}),
        ...(options.republishing ? { republishing: true } : {}),
      });
    } catch (error) {
      if (error instanceof Conflict && holds((await this.releases.get(app, releaseId)).artifacts, placement, pkg)) return undefined;
      throw error;
    }
  }

  /**
   * `POST /upload`: checks in faynoSync's order, then the version's release (found, or created
   * with the request's channel and flags, its `publish` recorded as a request), one verified
   * artifact per file. The request to publish is then honoured by whichever upload of the version
   * finds every file verified. Answers the release id.
   */
  async upload(caller: Caller, authorize: AuthorizeApp, data: VersionData, files: IncomingFile[]): Promise<string> {
    const { app, version, placement, planned } = await this.prepare(caller, authorize, data, files);
    const view = await this.versionRelease(caller, app, version, placement, data);
    this.refuseDuplicates(view, placement, planned);
    for (const { file, pkg } of planned) {
      if (pkg === undefined || !file.bytes) continue;
      const stored = await this.storeFile(
        caller,
        app,
        view.release.id,
        placement,
        pkg,
        { name: file.name, bytes: file.bytes },
        { signature: data.signature },
      );
      // The same file, stored by a concurrent upload: as a duplicate arriving after it would be.
      if (!stored) throw new Conflict(DUPLICATE);
    }
    if (view.release.publishRequest) await this.releases.fulfilPublishRequest(app, view.release.id);
    return view.release.id;
  }

  /**
   * `POST /upload/presign`: the same checks and release as `/upload`, then a presigned PUT per
   * file into staging (the S3 event verifies each). `publish` says whether confirm publishes: the
   * version carries a request to publish it (from the presign or upload that created it; a presign
   * retried after a refused file still answers it).
   */
  async presign(
    caller: Caller,
    authorize: AuthorizeApp,
    data: VersionData,
    files: IncomingFile[],
  ): Promise<{ id: string; publish: boolean; uploads: PresignedFile[]; skipped: { name: string; reason: string }[] }> {
    const tooLarge = files.find((f) => f.size > MAX_SINGLE_COPY_BYTES);
    if (tooLarge) {
      throw new Invalid(
        `file ${tooLarge.name} is over 5 GB: upload it in parts through the service's multipart API ` +
          '(POST /api/sync/ota/apps/{app_id}/releases/{release_id}/artifacts with "multipart": true)',
      );
    }
    const { app, version, placement, planned } = await this.prepare(caller, authorize, data, files);
    const view = await this.versionRelease(caller, app, version, placement, data);
    this.refuseDuplicates(view, placement, planned);
    const uploads: PresignedFile[] = [];
    const skipped: { name: string; reason: string }[] = [];
    for (const { file, pkg, skipped: reason } of planned) {
      if (pkg === undefined) {
        skipped.push({ name: file.name, reason: reason ?? 'not stored' });
        continue;
      }
      const slot = await this.uploads.requestUpload(caller, app, view.release.id, {
        target: placement.platform.name,
        arch: placement.arch.name,
        entries: { platform: placement.platform, arch: placement.arch },
        package: pkg,
        fileSize: file.size,
        ...(file.sha256 ? { sha256: file.sha256 } : {}),
        ...(data.signature ? { signature: data.signature } : {}),
      });
      uploads.push({ name: file.name, artifact_id: slot.artifact.id, upload_url: slot.uploadUrl ?? '', expires_at: slot.expiresAt });
    }
    return { id: view.release.id, publish: view.release.publishRequest !== undefined, uploads, skipped };
  }

  /**
   * `POST /upload/confirm`: 409 while files are still being verified, 400 naming a refused one,
   * else publishes what its presign created with a request to publish it, and answers the release
   * id. Nothing else: `publish: true` on a version without that request (a draft made without
   * it, a yanked version) is a 409, since publishing those takes `/apps/update` and its permission.
   */
  async confirm(caller: Caller, authorize: AuthorizeApp, id: string, publish: boolean): Promise<string> {
    const found = await this.versionById(caller, authorize, id);
    const { app } = found;
    let { release } = await this.uploads.confirm(app, found.view.release.id);
    if (release.publishRequest) ({ release } = await this.releases.fulfilPublishRequest(app, release.id));
    if (publish && release.status !== 'published' && !release.publishRequest) throw new Conflict(NOT_REQUESTED);
    return release.id;
  }

  /**
   * `POST /apps/update`: appends new files (a file already there for the same platform, arch and
   * package is skipped), then writes publish, critical and intermediate (absent = false),
   * the changelog when non-empty and the rollout when present, in one save.
   */
  async update(caller: Caller, authorize: AuthorizeApp, data: VersionData, files: IncomingFile[]): Promise<void> {
    if (!isId(data.id)) throw new Invalid(BAD_ID);
    const app = await this.appByName(caller, authorize, data.appName, APP_NOT_FOUND);
    const view = await this.releases.find(app, data.id);
    if (!view || (data.version !== '' && !sameVersion(view.release.version, data.version))) throw new NotFound(VERSION_NOT_FOUND);
    if (data.channel !== '' && data.channel !== view.names.channel) throw new Invalid('updating the channel is not allowed');
    if (files.length > 0) {
      checkUpdaterFiles(
        data.updater,
        data.signature,
        files.map((f) => f.name),
      );
      const catalog = await this.catalog.all(caller);
      const placement = {
        channel: catalog.channels.find((c) => c.id === view.release.channelId) as CatalogEntry,
        platform: pick(catalog.platforms, data.platform, 'platform', ANY_PLATFORM_ID),
        arch: pick(catalog.archs, data.arch, 'arch', ANY_ARCH_ID),
      };
      for (const { file, pkg } of plan(files)) {
        if (pkg === undefined || !file.bytes) continue;
        // faynoSync skips a file that is already there, silently.
        if (holds(view.artifacts, placement, pkg)) continue;
        // Publishing in the same call lets a yanked version take the file first (this route needs the edit permission).
        const stored = await this.storeFile(
          caller,
          app,
          view.release.id,
          placement,
          pkg,
          { name: file.name, bytes: file.bytes },
          { signature: data.signature, republishing: data.publish },
        );
        if (stored) view.artifacts.push(stored);
      }
    }
    await this.releases.edit(app, view.release.id, {
      critical: data.critical,
      intermediate: data.intermediate,
      published: data.publish,
      ...(data.changelog !== '' ? { changelog: data.changelog } : {}),
      ...(data.rollout !== undefined ? { rolloutPercent: data.rollout } : {}),
    });
  }

  /** `DELETE /apps/delete?id=`: the whole version, its files included. */
  async deleteVersion(caller: Caller, authorize: AuthorizeApp, id: string): Promise<void> {
    const { app, view } = await this.versionById(caller, authorize, id);
    await this.deletion.deleteRelease(app, view.release.id);
  }

  /**
   * `POST /artifact/delete`: indices into the version's files as `/search` lists them, applied one
   * after the other to the shrinking list as faynoSync applies them (`["0","1"]` removes the
   * original 0 and 2). False, with nothing deleted, when an index is not a number or out of range.
   */
  async deleteArtifacts(caller: Caller, authorize: AuthorizeApp, data: ArtifactDeleteData): Promise<boolean> {
    if (!isId(data.id)) throw new Invalid(BAD_ID);
    const app = await this.appByName(caller, authorize, data.appName, APP_NOT_FOUND);
    const view = await this.releases.find(app, data.id);
    if (!view || (data.version !== '' && !sameVersion(view.release.version, data.version))) throw new NotFound(VERSION_NOT_FOUND);
    const remaining = listed(view.artifacts);
    const doomed: Artifact[] = [];
    for (const raw of data.indices) {
      if (!/^\d+$/.test(raw)) return false;
      const index = Number(raw);
      if (index >= remaining.length) return false;
      doomed.push(...remaining.splice(index, 1));
    }
    for (const artifact of doomed) await this.deletion.deleteArtifact(app, view.release.id, artifact.id);
    return true;
  }

  /** `GET /search`: the app's versions matching the filters, newest first, one page, with the total. */
  async search(caller: Caller, authorize: AuthorizeApp, query: SearchQuery): Promise<{ items: WireVersion[]; total: number }> {
    const app = await this.appByName(caller, authorize, query.appName ?? '', APP_NOT_FOUND);
    const catalog = await this.catalog.all(caller);
    if (query.channel !== undefined && !catalog.channels.some((c) => c.name === query.channel)) {
      throw new NotFound('channel not found in apps_meta collection');
    }
    if (query.platform !== undefined && !catalog.platforms.some((c) => c.name === query.platform)) {
      throw new NotFound('platform not found in apps_meta collection');
    }
    if (query.arch !== undefined && !catalog.archs.some((c) => c.name === query.arch)) {
      throw new NotFound('arch not found in apps_meta collection');
    }
    const { items, total } = await this.releases.searchPage(
      app,
      {
        ...(query.channel !== undefined ? { channel: query.channel } : {}),
        ...(query.published !== undefined ? { published: query.published } : {}),
        ...(query.critical !== undefined ? { critical: query.critical } : {}),
        ...(query.platform !== undefined ? { platform: query.platform } : {}),
        ...(query.arch !== undefined ? { arch: query.arch } : {}),
      },
      query.page,
      query.limit,
    );
    return { items: items.map((view) => this.wireVersion(app, view)), total };
  }

  /**
   * `GET /download?key=`: a presigned URL of one of the caller's verified files. The key is the
   * file's link (as `/search` shows it, with or without the base URL) or `<version id>/<file id>`.
   */
  async download(caller: Caller, authorize: AuthorizeApp, key: string): Promise<string> {
    const parsed = parseFileKey(key);
    if (!parsed) throw new NotFound('file not found');
    let app: App;
    if (parsed.appId) app = await authorize(parsed.appId);
    else {
      const appId = await this.releases.appOf(caller.ownerId, parsed.releaseId, () => this.ownApps(caller));
      if (!appId) throw new NotFound('file not found');
      app = await authorize(appId);
    }
    const artifact = await this.releases.findArtifact(app, parsed.releaseId, parsed.artifactId);
    if (artifact?.status !== 'ready' || !artifact.objectKey) throw new NotFound('file not found');
    return this.store.presignDownload(artifact.objectKey, artifact.objectVersionId);
  }

  /** faynoSync's Version object: ready files only, in upload order; `any` platform/arch shown as `""`. */
  wireVersion(app: App, view: ReleaseView): WireVersion {
    const { release } = view;
    const shownName = (names: Record<string, string>, id: string, any: string) => (id === any ? '' : (names[id] ?? id));
    return {
      ID: release.id,
      AppName: app.name,
      Version: release.version,
      Channel: view.names.channel,
      Published: release.status === 'published',
      Critical: release.critical,
      Intermediate: release.intermediate,
      Artifacts: listed(view.artifacts).map((a) => ({
        link: artifactLink(this.baseUrl, app, release, a),
        platform: shownName(view.names.platforms, a.platformId, ANY_PLATFORM_ID),
        arch: shownName(view.names.archs, a.archId, ANY_ARCH_ID),
        package: packageWithDot(a.package),
      })),
      Changelog: [{ Version: release.version, Changes: release.changelog, Date: release.createdAt.slice(0, 10) }],
      Updated_at: release.updatedAt,
      RolloutPercent: release.rolloutPercent,
      Halted: haltedDto(release.halted),
    };
  }

  /** Checks of `/upload` and `/upload/presign` in faynoSync's order; answers what the files go under. */
  private async prepare(
    caller: Caller,
    authorize: AuthorizeApp,
    data: VersionData,
    files: IncomingFile[],
  ): Promise<{ app: App; version: string; placement: Placement; planned: PlannedFile[] }> {
    const version = checkNames(data);
    const catalog = await this.catalog.all(caller);
    const channel =
      data.channel === '' && !catalog.channels.some((c) => c.explicit)
        ? undefined
        : pick(catalog.channels, data.channel, 'channel', undefined);
    const platform = pick(catalog.platforms, data.platform, 'platform', ANY_PLATFORM_ID);
    const arch = pick(catalog.archs, data.arch, 'arch', ANY_ARCH_ID);
    checkUpdaterFiles(
      data.updater,
      data.signature,
      files.map((f) => f.name),
    );
    if (files.length === 0) throw new Invalid('no results found. Please check your files.');
    const app = await this.appByName(caller, authorize, data.appName, APP_NOT_FOUND_UPLOAD);
    const defaultChannel = catalog.channels.find((c) => c.id === app.defaultChannelId);
    const resolvedChannel = channel ?? defaultChannel;
    if (!resolvedChannel) throw new Invalid('wrong name of channel. Channel does not exist');
    return { app, version, placement: { channel: resolvedChannel, platform, arch }, planned: plan(files) };
  }

  /**
   * The version's release: the existing one (its flags stay: later uploads only add files), else a
   * new draft, carrying the request to publish it when `publish` is true (creating a version
   * published takes the upload permission, as the native API's create does).
   */
  private async versionRelease(caller: Caller, app: App, version: string, placement: Placement, data: VersionData): Promise<ReleaseView> {
    return this.uploads.findOrCreate(app, {
      version,
      channel: placement.channel.id,
      publish: false,
      ...(data.publish ? { publishRequestedBy: caller.userId } : {}),
      changelog: data.changelog,
      critical: data.critical,
      intermediate: data.intermediate,
      ...(data.rollout !== undefined ? { rolloutPercent: data.rollout } : {}),
    });
  }

  /** faynoSync refuses a file whose version, platform, arch and extension are already there (and a repeat within the request). */
  private refuseDuplicates(view: ReleaseView, placement: Placement, planned: PlannedFile[]): void {
    const seen = new Set<string>();
    for (const { pkg } of planned) {
      if (pkg === undefined) continue;
      if (holds(view.artifacts, placement, pkg) || seen.has(pkg)) throw new Conflict(DUPLICATE);
      seen.add(pkg);
    }
  }

  /** A version named by its id alone, in the caller's app that holds it (an app being deleted holds none), authorized. */
  private async versionById(caller: Caller, authorize: AuthorizeApp, id: string): Promise<{ app: App; view: ReleaseView }> {
    if (!isId(id)) throw new Invalid(BAD_ID);
    const notFound = () => new NotFound(`no app found with ID ${JSON.stringify(id)}`);
    const appId = await this.releases.appOf(caller.ownerId, id, () => this.ownApps(caller));
    if (!appId) throw notFound();
    const app = await authorize(appId);
    const view = app.deleting ? undefined : await this.releases.find(app, id);
    if (!view) throw notFound();
    return { app, view };
  }

  /** The caller's app of this name (faynoSync addresses apps by name; names are unique per owner), authorized. */
  private async appByName(caller: Caller, authorize: AuthorizeApp, name: string, notFound: string): Promise<App> {
    const appId = name === '' ? undefined : await this.apps.idByName(caller, name);
    if (!appId) throw new NotFound(notFound);
    return authorize(appId);
  }

  /** The caller's apps (not those being deleted): where releases created before their lookup item are looked for. */
  private async ownApps(caller: Caller): Promise<App[]> {
    return (await this.apps.list(caller)).map(({ app }) => app);
  }
}

/** A catalog entry by name; an empty name gives `fallback` unless an explicit entry exists (then the name is required). */
function pick(entries: CatalogEntry[], name: string, kind: 'channel' | 'platform' | 'arch', fallback: string | undefined): CatalogEntry {
  if (name === '') {
    const plural = `${kind}s`;
    const any = entries.find((e) => e.id === fallback);
    if (entries.some((e) => e.explicit) || !any) throw new Invalid(`you have a created ${plural}, setting ${kind} is required`);
    return any;
  }
  const found = entries.find((e) => e.name === name);
  const Kind = `${kind[0]?.toUpperCase()}${kind.slice(1)}`;
  if (!found) throw new Invalid(`wrong name of ${kind}. ${Kind} does not exist`);
  return found;
}

function plan(files: IncomingFile[]): PlannedFile[] {
  return files.map((file) => {
    const skipped = notStoredReason(file.name);
    return skipped ? { file, skipped } : { file, pkg: packageOf(file.name) };
  });
}

/**
 * True when the release already has a verified file for this platform, arch and package. A file
 * still arriving or refused may be uploaded again (its slot takes the new attempt).
 */
function holds(artifacts: Artifact[], placement: Placement, pkg: string): boolean {
  return artifacts.some(
    (a) => a.platformId === placement.platform.id && a.archId === placement.arch.id && a.package === pkg && a.status === 'ready',
  );
}

/** The files `/search` lists (and `/artifact/delete` indexes): verified ones, in upload order. */
function listed(artifacts: Artifact[]): Artifact[] {
  return artifacts.filter((a) => a.status === 'ready').sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

function sameVersion(stored: string, sent: string): boolean {
  return stored === sent || stored === sent.replaceAll('-', '.');
}
