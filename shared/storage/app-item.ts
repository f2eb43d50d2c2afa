/**
 * The codec of an app's item (`APP#<id>` / `APP`), shared by its repository and the public download
 * paths' lean reader (which must not load the SDK). Dependency-free for that reason.
 */
import type { App } from '../domain/model.js';
import { bool, defined, type Item, optStr, str } from './item-codec.js';
import { keys } from './keys.js';

/** faynoSync's app flags, stored only once set. */
export const APP_FLAGS = ['private', 'tuf', 'reports', 'cdn'] as const;
type AppFlag = (typeof APP_FLAGS)[number];

export function appToItem(app: App): Item {
  return defined({
    ...keys.app(app.id),
    GSI1PK: keys.appsByOwner(app.ownerId),
    GSI1SK: keys.appOwnerSort(app.createdAt, app.id),
    type: 'app',
    id: app.id,
    name: app.name,
    ownerId: app.ownerId,
    slug: app.slug,
    defaultChannelId: app.defaultChannelId,
    tauriPublicKey: app.tauriPublicKey,
    description: app.description,
    private: app.private,
    tuf: app.tuf,
    reports: app.reports,
    cdn: app.cdn,
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
    rev: 0,
  });
}

export function appFromItem(item: Item): App {
  const slug = optStr(item, 'slug');
  const tauriPublicKey = optStr(item, 'tauriPublicKey');
  const description = optStr(item, 'description');
  const flags = Object.fromEntries(
    APP_FLAGS.filter((flag) => item[flag] !== undefined && item[flag] !== null).map((flag) => [flag, bool(item, flag)]),
  ) as Pick<App, AppFlag>;
  return {
    id: str(item, 'id'),
    name: str(item, 'name'),
    ownerId: str(item, 'ownerId'),
    ...(slug ? { slug } : {}),
    defaultChannelId: optStr(item, 'defaultChannelId') ?? 'stable',
    ...(tauriPublicKey ? { tauriPublicKey } : {}),
    ...(description !== undefined ? { description } : {}),
    ...flags,
    ...(item.deleting === true ? { deleting: true as const } : {}),
    createdAt: str(item, 'createdAt'),
    updatedAt: optStr(item, 'updatedAt') ?? str(item, 'createdAt'),
  };
}

/** The slug claim: which app (and owner) publishes under a slug. */
export interface SlugClaim {
  appId: string;
  ownerId: string;
}

/** The claim of a slug item; a slug held for the owner of a deleted app (no appId) is no app's. */
export function slugClaimFrom(item: Item | undefined): SlugClaim | undefined {
  return item?.appId !== undefined ? { appId: str(item, 'appId'), ownerId: str(item, 'ownerId') } : undefined;
}
