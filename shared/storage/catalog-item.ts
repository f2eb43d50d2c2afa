/**
 * The codec of a catalog entry's item (`OWNER#<owner>` / `CAT#<kind>#<id>`), shared by the catalog
 * repository and the public download paths' lean reader (which must not load the SDK).
 */
import {
  type Arch,
  type CatalogEntry,
  type Channel,
  type Platform,
  UPDATER_TYPES,
  type Updater,
  type UpdaterType,
} from '../domain/catalog.js';
import { bool, defined, type Item, num, optStr, str, strList } from './item-codec.js';
import { keys } from './keys.js';

export function catalogToItem(entry: CatalogEntry): Item {
  return defined({
    ...keys.catalogEntry(entry.ownerId, entry.kind, entry.id),
    type: 'catalog',
    kind: entry.kind,
    id: entry.id,
    ownerId: entry.ownerId,
    name: entry.name,
    builtin: entry.builtin,
    explicit: entry.explicit,
    refs: entry.refs,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    follows: entry.kind === 'channel' ? entry.follows : undefined,
    allowPrerelease: entry.kind === 'channel' ? entry.allowPrerelease : undefined,
    updaters: entry.kind === 'platform' ? entry.updaters : undefined,
    canonical: entry.kind !== 'channel' ? entry.canonical : undefined,
  });
}

function updatersFrom(item: Item): Updater[] {
  const raw = item.updaters;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((u: unknown) => {
    const type = (u as { type?: unknown }).type;
    if (typeof type !== 'string' || !(UPDATER_TYPES as readonly string[]).includes(type)) return [];
    return [{ type: type as UpdaterType, default: (u as { default?: unknown }).default === true }];
  });
}

export function catalogFromItem(item: Item): CatalogEntry {
  const base = {
    id: str(item, 'id'),
    ownerId: str(item, 'ownerId'),
    name: str(item, 'name'),
    builtin: bool(item, 'builtin'),
    explicit: bool(item, 'explicit'),
    refs: num(item, 'refs'),
    createdAt: str(item, 'createdAt'),
    updatedAt: str(item, 'updatedAt'),
  };
  const kind = str(item, 'kind');
  if (kind === 'channel') return { ...base, kind, follows: strList(item, 'follows'), allowPrerelease: bool(item, 'allowPrerelease', true) };
  const canonical = optStr(item, 'canonical');
  if (kind === 'platform') return { ...base, kind, updaters: updatersFrom(item), ...(canonical ? { canonical } : {}) };
  if (kind === 'arch') return { ...base, kind, ...(canonical ? { canonical } : {}) };
  throw new Error(`Stored catalog entry ${base.id} has unknown kind ${kind}`);
}

/** Every catalog entry of an owner, by kind. */
export interface OwnerCatalog {
  channels: Channel[];
  platforms: Platform[];
  archs: Arch[];
}

/** An owner's catalog from its items (the `CAT#` rows of its collection). */
export function ownerCatalogFrom(items: readonly Item[]): OwnerCatalog {
  const result: OwnerCatalog = { channels: [], platforms: [], archs: [] };
  for (const entry of items.map(catalogFromItem)) {
    if (entry.kind === 'channel') result.channels.push(entry);
    else if (entry.kind === 'platform') result.platforms.push(entry);
    else result.archs.push(entry);
  }
  return result;
}
