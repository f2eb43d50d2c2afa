import type { Caller } from '../domain/caller.js';
import {
  builtinEntries,
  type CatalogEntry,
  type CatalogKind,
  type Channel,
  DEFAULT_CHANNEL_ID,
  requireCanonical,
  requireCatalogName,
  requireUpdaters,
  type Updater,
} from '../domain/catalog.js';
import { Conflict, Invalid, shown } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { AppRepository } from '../storage/app-repository.js';
import { type CatalogRepository, entryByNameOrId, type OwnerCatalog } from '../storage/catalog-repository.js';
import type { JobService } from './job-service.js';

export interface CatalogInput {
  name?: string;
  /** Channels: names or ids of the channels this one follows; `[]` isolates it. */
  follows?: string[];
  allowPrerelease?: boolean;
  /** Platforms: updater types with one default. */
  updaters?: Updater[];
  /** Platforms and archs: the canonical OS or architecture a custom entry is (targets.ts). */
  canonical?: string;
}

/** A declared canonical identity, validated (none given: the field is left out, an update keeps the old one). */
function canonical(kind: CatalogKind, input: CatalogInput): { canonical?: string } {
  return input.canonical === undefined ? {} : { canonical: requireCanonical(kind, input.canonical) };
}

/** The owner's channels, platforms and archs. */
export class CatalogService {
  constructor(
    private readonly catalogs: CatalogRepository,
    private readonly apps: AppRepository,
    /** Every app of the owner is rebuilt after a change, in a background job (its first step in the request). */
    private readonly jobs: Pick<JobService, 'start'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Every entry of the caller's catalog (the built-in ones included), by kind. */
  async all(caller: Caller): Promise<OwnerCatalog> {
    await this.catalogs.ensureOwner(caller.ownerId, this.now().toISOString(), caller.ownerName);
    return this.catalogs.all(caller.ownerId);
  }

  async list(caller: Caller, kind: CatalogKind): Promise<CatalogEntry[]> {
    const all = await this.all(caller);
    const entries: CatalogEntry[] = kind === 'channel' ? all.channels : kind === 'platform' ? all.platforms : all.archs;
    return entries.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** An entry by name, or by id for callers that hold one; undefined when neither matches. */
  async find(caller: Caller, kind: CatalogKind, nameOrId: string): Promise<CatalogEntry | undefined> {
    return entryByNameOrId(this.catalogs, caller.ownerId, kind, nameOrId);
  }

  async create(caller: Caller, kind: CatalogKind, input: CatalogInput): Promise<CatalogEntry> {
    const now = this.now().toISOString();
    await this.catalogs.ensureOwner(caller.ownerId, now, caller.ownerName);
    const name = requireCatalogName(kind, input.name ?? '');
    const base = { id: newId(), ownerId: caller.ownerId, name, builtin: false, explicit: true, refs: 0, createdAt: now, updatedAt: now };
    let entry: CatalogEntry;
    if (kind === 'channel') {
      const follows = await this.resolveFollows(caller, input.follows ?? [DEFAULT_CHANNEL_ID], base.id);
      entry = { ...base, kind, follows, allowPrerelease: input.allowPrerelease ?? true };
    } else if (kind === 'platform') {
      entry = { ...base, kind, updaters: requireUpdaters(input.updaters ?? [{ type: 'tauri', default: true }]), ...canonical(kind, input) };
    } else {
      entry = { ...base, kind, ...canonical(kind, input) };
    }
    await this.catalogs.create(entry);
    // faynoSync's answers change once an owner has created a channel, platform or arch (they become required).
    await this.jobs.start(caller.ownerId, { kind: 'owner-republish' });
    return entry;
  }

  /** Renames or reconfigures an entry; every feed of the owner's apps follows. */
  async update(caller: Caller, entry: CatalogEntry, input: CatalogInput): Promise<CatalogEntry> {
    const updatedAt = this.now().toISOString();
    const name = input.name === undefined ? entry.name : requireCatalogName(entry.kind, input.name);
    let next: CatalogEntry;
    if (entry.kind === 'channel') {
      const follows = input.follows === undefined ? entry.follows : await this.resolveFollows(caller, input.follows, entry.id);
      next = { ...entry, name, updatedAt, explicit: true, follows, allowPrerelease: input.allowPrerelease ?? entry.allowPrerelease };
    } else if (entry.kind === 'platform') {
      const updaters = input.updaters ? requireUpdaters(input.updaters) : entry.updaters;
      next = { ...entry, name, updatedAt, explicit: true, updaters, ...canonical(entry.kind, input) };
    } else {
      next = { ...entry, name, updatedAt, explicit: true, ...canonical(entry.kind, input) };
    }
    await this.catalogs.update(entry, next);
    await this.jobs.start(caller.ownerId, { kind: 'owner-republish' });
    return next;
  }

  /** Deletes an entry that no release, artifact, app or channel depends on (409 otherwise). */
  async delete(caller: Caller, entry: CatalogEntry): Promise<void> {
    if (entry.kind === 'channel') {
      if (entry.id === DEFAULT_CHANNEL_ID) throw new Conflict('The built-in default channel cannot be deleted; rename it instead');
      const { channels } = await this.catalogs.all(caller.ownerId);
      const follower = channels.find((c) => c.follows.includes(entry.id));
      if (follower) throw new Conflict(`Channel "${entry.name}" is followed by "${follower.name}"; change that first`);
      const app = (await this.apps.allByOwner(caller.ownerId)).find((a) => a.defaultChannelId === entry.id);
      if (app) throw new Conflict(`Channel "${entry.name}" is the default channel of app "${app.name}"; change that first`);
    }
    await this.catalogs.delete(entry);
    await this.jobs.start(caller.ownerId, { kind: 'owner-republish' });
  }

  /**
   * Takes a built-in entry back to how every owner starts with it: hidden from faynoSync's lists
   * (not explicit), under its own name when that is free, with its default updaters. This is the
   * faynoSync face's "delete" of a built-in, which every other API relies on existing. 409 while
   * releases use it, as a delete.
   */
  async hide(caller: Caller, entry: CatalogEntry): Promise<void> {
    const builtin = builtinEntries(caller.ownerId, entry.createdAt).find((b) => b.kind === entry.kind && b.id === entry.id);
    if (!builtin) throw new Invalid(`${entry.kind} ${shown(entry.name)} is not a built-in`);
    if (entry.refs > 0) throw new Conflict(`The ${entry.kind} "${entry.name}" is in use by releases; move or delete them first`);
    const hidden: CatalogEntry = {
      ...entry,
      explicit: false,
      updatedAt: this.now().toISOString(),
      ...(entry.kind === 'platform' && builtin.kind === 'platform' ? { updaters: builtin.updaters } : {}),
    };
    try {
      await this.catalogs.update(entry, { ...hidden, name: builtin.name });
    } catch (error) {
      // Its own name was taken meanwhile by another entry: it stays hidden under the name it has.
      if (!(error instanceof Conflict) || entry.name === builtin.name) throw error;
      await this.catalogs.update(entry, hidden);
    }
    await this.jobs.start(caller.ownerId, { kind: 'owner-republish' });
  }

  private async resolveFollows(caller: Caller, follows: string[], selfId: string): Promise<string[]> {
    if (follows.length > 10) throw new Invalid('follows may list at most 10 channels');
    const ids: string[] = [];
    for (const ref of follows) {
      const channel = (await this.find(caller, 'channel', ref)) as Channel | undefined;
      if (channel?.kind !== 'channel') throw new Invalid(`follows: no channel ${shown(ref)}`);
      if (channel.id === selfId) throw new Invalid('a channel cannot follow itself');
      if (!ids.includes(channel.id)) ids.push(channel.id);
    }
    return ids;
  }
}
