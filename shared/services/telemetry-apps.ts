/**
 * The apps edge records name, looked up as the checks look them up: a slug by its claim (and the
 * partial rollouts its last publication serves, for the in/out split), a
 * faynoSync address by the owner's view of the app (which also tells whether the device was told
 * it is current: the same decision the check made, `stateOf`).
 */
import type { FaynoView } from '../domain/fayno-view.js';
import type { AppAddress, CheckHit, CheckState } from '../domain/telemetry-hit.js';
import type { FaynoViewRepository } from '../storage/fayno-view-repository.js';
import type { FeedRepository } from '../storage/feed-repository.js';
import type { ResolvedApp, TelemetryApps } from './telemetry-aggregator.js';

/** The state of a faynoSync check or beacon (undefined: not counted). */
export type FaynoStateOf = (view: FaynoView, hit: CheckHit) => CheckState | undefined;

export class StoredTelemetryApps implements TelemetryApps {
  constructor(
    private readonly feeds: Pick<FeedRepository, 'claim' | 'publishedRollouts'>,
    private readonly views: Pick<FaynoViewRepository, 'read'>,
    private readonly faynoState: FaynoStateOf,
  ) {}

  async resolve(address: AppAddress): Promise<ResolvedApp | undefined> {
    if (address.kind === 'slug') {
      const [claim, published] = await Promise.all([this.feeds.claim(address.slug), this.feeds.publishedRollouts(address.slug)]);
      if (!claim) return undefined;
      // Rollouts another app published under the slug before it moved are not this app's.
      const rollouts = published?.appId === claim.appId ? published.rollouts : [];
      return { appId: claim.appId, ...(rollouts.length > 0 ? { rollouts } : {}) };
    }
    const view = await this.views.read(address.owner, address.appName);
    return view ? { appId: view.appId, stateOf: (hit) => this.faynoState(view, hit) } : undefined;
  }
}
