import type { AppRepository } from '../storage/app-repository.js';
import type { ObjectTags } from '../storage/object-tags.js';
import type { ReleaseRepository } from '../storage/release-repository.js';

/** Tag requests in flight at once while an app's objects are retagged. */
const TAG_CONCURRENCY = 8;
/** Rounds of retagging while the app's privacy keeps changing underneath (each round rereads it). */
const MAX_ROUNDS = 3;

/**
 * Keeps a private app's verified objects off the public edge path by their `private` tag. Both
 * writers go write-then-read against strongly consistent reads, so no object is missed: a privacy
 * change saves the app and then lists the app's verified objects; ingest marks an object verified
 * and then reads the app. Whichever read comes second sees the other's write and tags the object.
 */
export class ArtifactPrivacy {
  constructor(
    private readonly apps: Pick<AppRepository, 'get'>,
    private readonly releases: Pick<ReleaseRepository, 'collection'>,
    private readonly tags: Pick<ObjectTags, 'setPrivate'>,
  ) {}

  /**
   * Tags every verified object of the app as the app is now (after its privacy was saved). Idempotent,
   * so a privacy change sent again finishes one that failed half way; a round that ends with the app's
   * privacy changed meanwhile is repeated with the new value.
   */
  async apply(appId: string): Promise<void> {
    let wanted = (await this.apps.get(appId))?.private === true;
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const { artifacts } = await this.releases.collection(appId);
      const objects = artifacts.flatMap((a) => (a.objectKey ? [{ key: a.objectKey, versionId: a.objectVersionId }] : []));
      const worker = async () => {
        for (let next = objects.shift(); next; next = objects.shift()) await this.tags.setPrivate(next.key, next.versionId, wanted);
      };
      await Promise.all(Array.from({ length: TAG_CONCURRENCY }, worker));
      const now = (await this.apps.get(appId))?.private === true;
      if (now === wanted) return;
      wanted = now;
    }
  }

  /** A newly verified object (read after it was marked ready): tagged when its app is private. */
  async protectNew(appId: string, key: string, versionId: string | undefined): Promise<void> {
    if ((await this.apps.get(appId))?.private === true) await this.tags.setPrivate(key, versionId, true);
  }
}
