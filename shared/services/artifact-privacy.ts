import type { AppRepository } from '../storage/app-repository.js';
import type { ObjectTags } from '../storage/object-tags.js';
import type { ReleaseRepository } from '../storage/release-repository.js';

/** Tag requests in flight at once while an app's objects are retagged. */
const TAG_CONCURRENCY = 8;

/** Where a retag stands: the privacy it tags with, and the last object key tagged (keys are taken in order). */
export interface RetagPosition {
  target: boolean;
  after?: string;
}

/** One bounded retag step's outcome. */
export interface RetagStep {
  /** Where the next step starts; undefined when every object is tagged as the app is. */
  next: RetagPosition | undefined;
  /** Objects tagged as `target` so far in this pass, and the app's verified objects in all. */
  done: number;
  total: number;
  /** The app changed its privacy meanwhile: the step starts the pass over with the new value. */
  restarted: boolean;
}

/**
 * Keeps a private app's verified objects off the public edge path by their `private` tag. Both
 * writers go write-then-read against strongly consistent reads, so no object is missed: a privacy
 * change saves the app and then lists the app's verified objects (in the steps of a background
 * job, shared/services/job-service.ts); ingest marks an object verified and then reads the app.
 * Whichever read comes second sees the other's write and tags the object.
 */
export class ArtifactPrivacy {
  constructor(
    private readonly apps: Pick<AppRepository, 'get'>,
    private readonly releases: Pick<ReleaseRepository, 'collection'>,
    private readonly tags: Pick<ObjectTags, 'setPrivate'>,
  ) {}

  /**
   * Tags the next `limit` verified objects of the app (by object key, after `position.after`) as
   * `position.target`. Idempotent: a step run again tags the same objects the same way. The app's
   * privacy is read before and after: when it differs from the target (changed meanwhile, or
   * tagged by an older job's late step), the pass starts over with the app's value, so the last
   * pass always ends with every object tagged as the app is. A deleted app has nothing to tag.
   */
  async step(appId: string, position: RetagPosition, limit: number): Promise<RetagStep> {
    const before = await this.apps.get(appId);
    if (!before || before.deleting) return { next: undefined, done: 0, total: 0, restarted: false };
    const now = before.private === true;
    const start: RetagPosition = now === position.target ? position : { target: now };
    const { artifacts } = await this.releases.collection(appId);
    const objects = artifacts
      .flatMap((a) => (a.objectKey ? [{ key: a.objectKey, versionId: a.objectVersionId }] : []))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const after = start.after;
    const pending = objects.filter((o) => after === undefined || o.key > after).slice(0, limit);
    const batch = [...pending];
    const worker = async () => {
      for (let next = batch.shift(); next; next = batch.shift()) await this.tags.setPrivate(next.key, next.versionId, start.target);
    };
    await Promise.all(Array.from({ length: TAG_CONCURRENCY }, worker));
    const restarted = start !== position;
    const afterStep = (await this.apps.get(appId))?.private === true;
    if (afterStep !== start.target) return { next: { target: afterStep }, done: 0, total: objects.length, restarted: true };
    const last = pending.at(-1)?.key ?? after;
    const done = last === undefined ? 0 : objects.filter((o) => o.key <= last).length;
    const finished = done >= objects.length;
    return {
      next: finished ? undefined : { target: start.target, ...(last !== undefined ? { after: last } : {}) },
      done,
      total: objects.length,
      restarted,
    };
  }

  /** A newly verified object (read after it was marked ready): tagged when its app is private. */
  async protectNew(appId: string, key: string, versionId: string | undefined): Promise<void> {
    if ((await this.apps.get(appId))?.private === true) await this.tags.setPrivate(key, versionId, true);
  }
}
