import { AsyncLocalStorage } from 'node:async_hooks';
import type { FeedPublisher } from './feed-publisher.js';

/** The apps a unit of work touched, per collector: app id → the edge paths its changes made stale. */
type Pending = Map<FeedChanges, Map<string, Set<string>>>;

const unit = new AsyncLocalStorage<Pending>();

/**
 * Runs one request as a unit of work: every feed change a service marks inside it (an upload
 * verified, a release published, yanked, deleted) is collected, and each touched app is rebuilt
 * once at the end, with the union of the edge paths to purge. The HTTP middleware wraps every
 * route in one; a nested call joins the outer unit. The rebuild runs even when the work fails
 * (what it committed before failing must reach the feeds), and the work's own error wins.
 */
export async function unitOfWork<T>(work: () => Promise<T>): Promise<T> {
  if (unit.getStore()) return work();
  const pending: Pending = new Map();
  let result: T;
  try {
    result = await unit.run(pending, work);
  } catch (error) {
    await publishAll(pending).catch(() => {});
    throw error;
  }
  await publishAll(pending);
  return result;
}

async function publishAll(pending: Pending): Promise<void> {
  for (const changes of [...pending.keys()]) await changes.flush(pending);
}

/**
 * The services' side of the unit of work: they mark an app's feeds stale with `republish` (the
 * signature of `FeedPublisher.republish`, so a service takes either). Inside a unit the rebuild
 * waits for the unit's end; outside one (the S3 event's ingest, a script) it runs at once.
 */
export class FeedChanges implements Pick<FeedPublisher, 'republish'> {
  constructor(private readonly publisher: Pick<FeedPublisher, 'republish'>) {}

  /** Marks the app's feeds stale (and `alsoPurge` paths to purge with the rebuild). */
  async republish(appId: string, alsoPurge: string[] = []): Promise<void> {
    const pending = unit.getStore();
    if (!pending) return this.publisher.republish(appId, alsoPurge);
    const apps = pending.get(this) ?? new Map<string, Set<string>>();
    pending.set(this, apps);
    const paths = apps.get(appId) ?? new Set<string>();
    apps.set(appId, paths);
    for (const path of alsoPurge) paths.add(path);
  }

  /**
   * Rebuilds now what this collector marked so far in the current unit (each app once): for a
   * step that must follow the rebuild, such as deleting bytes only once no feed offers them.
   */
  async flush(pending: Pending | undefined = unit.getStore()): Promise<void> {
    const apps = pending?.get(this);
    if (!apps) return;
    pending?.delete(this);
    for (const [appId, paths] of apps) await this.publisher.republish(appId, [...paths]);
  }
}
