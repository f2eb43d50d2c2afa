import { buildFeed } from '../domain/feed.js';
import type { EdgeCache } from '../storage/edge-cache.js';
import type { FeedRepository } from '../storage/feed-repository.js';
import { edgePaths } from '../storage/keys.js';
import type { ReleaseRepository } from '../storage/release-repository.js';

/** Recomputes an app's public feed after any change and purges the edge answers that changed. */
export class FeedPublisher {
  constructor(
    private readonly releases: ReleaseRepository,
    private readonly feeds: FeedRepository,
    private readonly edge: EdgeCache,
  ) {}

  /** Rebuilds the feed; `alsoInvalidate` adds paths the caller knows went stale. */
  async republish(appId: string, alsoInvalidate: string[] = []): Promise<void> {
    const paths = [...alsoInvalidate];
    // The revision is taken before the read so that, of concurrent rebuilds, the one that writes
    // last has seen every change (see FeedRepository).
    const next = await this.feeds.nextRevision(appId);
    if (next?.slug) {
      const { releases, artifacts } = await this.releases.collection(appId);
      const changed = await this.feeds.write(next.slug, buildFeed(appId, releases, artifacts), next.rev);
      if (changed) paths.push(edgePaths.slug(next.slug));
    }
    await this.edge.invalidate(paths);
  }
}
