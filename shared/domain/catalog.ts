export { channelClosure } from './channel-closure.js';

import { Invalid, shown } from './errors.js';
import { isId } from './ids.js';
import { ARCHITECTURES, cpuOf, OPERATING_SYSTEMS, osOf } from './targets.js';

/**
 * Channels, platforms and architectures: catalogs of an owner account, shared by all its apps
 * (as faynoSync models them). Releases and artifacts refer to entries by id, so a rename is one
 * write plus a feed rebuild; clients address them by name.
 */
export type CatalogKind = 'channel' | 'platform' | 'arch';

/** The updater protocols a platform can serve (faynoSync's list plus Tauri and Velopack). */
export const UPDATER_TYPES = ['manual', 'tauri', 'squirrel_darwin', 'squirrel_windows', 'sparkle', 'electron-builder', 'velopack'] as const;
export type UpdaterType = (typeof UPDATER_TYPES)[number];

export interface Updater {
  type: UpdaterType;
  default: boolean;
}

interface CatalogEntryBase {
  id: string;
  ownerId: string;
  name: string;
  /** One of the entries every owner starts with (stable; linux, darwin, windows; four archs). */
  builtin: boolean;
  /** Created through an API rather than provided: faynoSync's "required once one was created" counts these. */
  explicit: boolean;
  /** Releases (channels) or artifacts (platforms, archs) that refer to the entry: delete needs 0. */
  refs: number;
  createdAt: string;
  updatedAt: string;
}

export interface Channel extends CatalogEntryBase {
  kind: 'channel';
  /** Ids of more stable channels whose releases this channel also receives (empty: isolated). */
  follows: string[];
  /** Whether pre-release versions (`-beta.1`) reach clients of this channel. */
  allowPrerelease: boolean;
}

export interface Platform extends CatalogEntryBase {
  kind: 'platform';
  updaters: Updater[];
  /** The canonical OS the owner declared this platform to be (targets.ts); absent: what its name means. */
  canonical?: string;
}

export interface Arch extends CatalogEntryBase {
  kind: 'arch';
  /** The canonical architecture the owner declared this arch to be (targets.ts); absent: what its name means. */
  canonical?: string;
}

export type CatalogEntry = Channel | Platform | Arch;

/** The built-in default channel: releases created without a channel go here. */
export const DEFAULT_CHANNEL_ID = 'stable';

interface BuiltinSpec {
  kind: CatalogKind;
  id: string;
}

/**
 * The platform and arch of a file that fits every platform: what faynoSync calls an upload
 * without platform or arch (allowed until the owner creates one), and every Koolbase bundle.
 */
export const ANY_PLATFORM_ID = 'any';
export const ANY_ARCH_ID = 'any';

/** Built-in entries have their name as id, so SyncKit and Tauri paths work before anything is created. */
export const BUILTINS: readonly BuiltinSpec[] = [
  { kind: 'channel', id: DEFAULT_CHANNEL_ID },
  { kind: 'platform', id: 'linux' },
  { kind: 'platform', id: 'darwin' },
  { kind: 'platform', id: 'windows' },
  { kind: 'platform', id: ANY_PLATFORM_ID },
  { kind: 'arch', id: 'x86_64' },
  { kind: 'arch', id: 'aarch64' },
  { kind: 'arch', id: 'i686' },
  { kind: 'arch', id: 'armv7' },
  { kind: 'arch', id: ANY_ARCH_ID },
];

/** Bumped when BUILTINS grows: owners provisioned before get the new entries on their next request. */
export const BUILTINS_REVISION = 2;

const BUILTIN_IDS: ReadonlySet<string> = new Set(BUILTINS.map((b) => b.id));

/** The built-in entries of a new owner. */
export function builtinEntries(ownerId: string, now: string): CatalogEntry[] {
  return BUILTINS.map(({ kind, id }) => {
    const base = { id, ownerId, name: id, builtin: true, explicit: false, refs: 0, createdAt: now, updatedAt: now };
    if (kind === 'channel') return { ...base, kind, follows: [], allowPrerelease: true };
    if (kind === 'platform') return { ...base, kind, updaters: [{ type: id === ANY_PLATFORM_ID ? 'manual' : 'tauri', default: true }] };
    return { ...base, kind };
  });
}

/** True for an id a catalog entry can have: a minted id or a built-in's name. */
export function isCatalogId(value: string): boolean {
  return isId(value) || BUILTIN_IDS.has(value);
}

/** Letters, digits, `.`, `_`, `-`; starts with a letter or digit; at most 40 characters. */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** Validates a catalog name (also a path segment and a key part, so no `/` or `#`). */
export function requireCatalogName(kind: CatalogKind, name: string): string {
  if (!NAME_PATTERN.test(name)) {
    throw new Invalid(`${kind} name ${shown(name)} must be 1-40 letters, digits, '.', '_' or '-', starting with a letter or digit`);
  }
  return name;
}

/** Validates a platform's updater list: known types, no repeats, exactly one default. */
export function requireUpdaters(updaters: readonly Updater[]): Updater[] {
  if (updaters.length === 0) throw new Invalid('updaters must list at least one updater');
  const types = new Set(updaters.map((u) => u.type));
  if (types.size !== updaters.length) throw new Invalid('updaters must not list a type twice');
  if (updaters.filter((u) => u.default).length !== 1) throw new Invalid('exactly one updater must be the default');
  return updaters.map((u) => ({ type: u.type, default: u.default }));
}

/**
 * Validates what an owner declares a custom platform or arch to be: a canonical OS or architecture,
 * or any client's word for one (`amd64` is stored as `x86_64`).
 */
export function requireCanonical(kind: CatalogKind, value: string): string {
  if (kind === 'channel') throw new Invalid('only platforms and archs have a canonical identity');
  const canonical = kind === 'platform' ? osOf(value) : cpuOf(value);
  if (canonical) return canonical;
  const allowed = kind === 'platform' ? OPERATING_SYSTEMS : ARCHITECTURES;
  throw new Invalid(`canonical ${shown(value)} must be one of ${allowed.join(', ')} (or a client's word for one)`);
}
