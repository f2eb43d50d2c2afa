/**
 * faynoSync's channels, platforms and archs on the owner's catalog (CatalogService): its request
 * bodies, name rules, updater validation, result keys and list shapes. faynoSync's lists show
 * the entries an owner created; the built-ins every owner has here stay hidden until the owner
 * "creates" one of that name (which shows it), and "deleting" a built-in hides it again.
 */
import { visible } from '../../auth/authorize.js';
import type { Caller } from '../../domain/caller.js';
import { type CatalogEntry, type CatalogKind, isCatalogId, UPDATER_TYPES, type Updater, type UpdaterType } from '../../domain/catalog.js';
import { Conflict, Invalid, NotFound } from '../../domain/errors.js';
import { FAYNOSYNC_ERROR_WORDS } from '../../http/errors.js';
import { apiRoute, callerOf, type RouteRequest } from '../../http/middleware.js';
import { json } from '../../http/respond.js';
import type { RouteDefinition } from '../../http/route-definition.js';
import { catalogService, resourceReader } from '../../services/container.js';
import { grantCreated } from '../../services/grant-created.js';
import { BAD_DELETE_ID, deleteId, failedDelete, INVALID_BODY, readJsonObject, requiredString } from './accounts-wire.js';

interface KindWords {
  /** The body field and the word in messages. */
  field: 'channel' | 'platform' | 'arch';
  /** faynoSync's name rule for this kind. */
  pattern: RegExp;
  invalidName: string;
  Kind: string;
  listKey: string;
  nameKey: string;
}

const WORDS: Record<CatalogKind, KindWords> = {
  channel: {
    field: 'channel',
    pattern: /^[a-zA-Z0-9]*$/,
    invalidName: 'invalid channel name',
    Kind: 'Channel',
    listKey: 'channels',
    nameKey: 'ChannelName',
  },
  platform: {
    field: 'platform',
    pattern: /^[a-zA-Z0-9-]*$/,
    invalidName: 'invalid platform name',
    Kind: 'Platform',
    listKey: 'platforms',
    nameKey: 'PlatformName',
  },
  arch: {
    field: 'arch',
    pattern: /^[a-zA-Z0-9]*$/,
    invalidName: 'invalid architecture name',
    Kind: 'Arch',
    listKey: 'archs',
    nameKey: 'ArchID',
  },
};

/** faynoSync's updater types, in its order (its messages list them so). */
const FAYNO_UPDATER_TYPES = ['manual', 'squirrel_darwin', 'squirrel_windows', 'sparkle', 'electron-builder', 'tauri', 'velopack'] as const;

/** What a platform gets when it is created without updaters. */
const DEFAULT_UPDATERS: Updater[] = [{ type: 'manual', default: true }];

/** Validates a platform's `updaters` as faynoSync does, with its messages. */
export function faynoUpdaters(raw: unknown): Updater[] {
  if (!Array.isArray(raw)) throw new Invalid(INVALID_BODY);
  if (raw.length === 0) throw new Invalid('at least one updater is required');
  const seen = new Set<string>();
  let defaults = 0;
  const updaters: Updater[] = [];
  for (const item of raw) {
    if (!item || typeof item !== 'object') throw new Invalid(INVALID_BODY);
    const { type, default: isDefault = false } = item as { type?: unknown; default?: unknown };
    if (typeof type !== 'string' || typeof isDefault !== 'boolean') throw new Invalid(INVALID_BODY);
    if (!(FAYNO_UPDATER_TYPES as readonly string[]).includes(type) || !(UPDATER_TYPES as readonly string[]).includes(type)) {
      throw new Invalid(`invalid updater type: ${type}. Valid types are: [${FAYNO_UPDATER_TYPES.join(' ')}]`);
    }
    if (seen.has(type)) throw new Invalid(`duplicate updater type: ${type}`);
    seen.add(type);
    if (isDefault) defaults++;
    updaters.push({ type: type as UpdaterType, default: isDefault });
  }
  if (defaults === 0) throw new Invalid('exactly one updater must be set as default');
  if (defaults > 1) throw new Invalid('only one updater can be set as default');
  return updaters;
}

function faynoName(kind: CatalogKind, body: Record<string, unknown>): string {
  const words = WORDS[kind];
  const name = requiredString(body, words.field, INVALID_BODY);
  if (!words.pattern.test(name)) throw new Invalid(words.invalidName);
  return name;
}

/**
 * Our addition to faynoSync's platform and arch bodies: `canonical` declares which OS or
 * architecture a custom entry is (`{"platform":"mac-intel","canonical":"darwin"}`), so every
 * stock client finds its files (targets.ts). Validated by the catalog.
 */
function declaredCanonical(kind: CatalogKind, body: Record<string, unknown>): { canonical?: string } {
  if (kind === 'channel' || body.canonical === undefined) return {};
  if (typeof body.canonical !== 'string') throw new Invalid(INVALID_BODY);
  return { canonical: body.canonical };
}

function taken(kind: CatalogKind, entry: CatalogEntry): Conflict {
  const message = FAYNOSYNC_ERROR_WORDS[`${kind}_name_taken`];
  // A built-in this face hides still holds its name: say how to get it.
  return new Conflict(entry.explicit ? message : `${message} (a built-in ${kind}, hidden here until you create one of that name)`);
}

/** One entry as faynoSync lists it. */
export function entryWire(entry: CatalogEntry, owner: string): Record<string, unknown> {
  const words = WORDS[entry.kind];
  return {
    ID: entry.id,
    [words.nameKey]: entry.name,
    ...(entry.kind === 'platform' ? { Updaters: entry.updaters.map((u) => ({ type: u.type, default: u.default })) } : {}),
    // Our addition, only where the owner declared one: what every client addresses the entry as.
    ...(entry.kind !== 'channel' && entry.canonical ? { Canonical: entry.canonical } : {}),
    Owner: owner,
    Updated_at: entry.updatedAt,
  };
}

/** The caller's entry by id as this face sees it: hidden built-ins and other owners' ids are not found. */
async function visibleEntry(request: RouteRequest, kind: CatalogKind, id: unknown, notFound: string, badId: string): Promise<CatalogEntry> {
  if (typeof id !== 'string' || !isCatalogId(id)) throw new Invalid(badId);
  if (!request.authorizeById) throw new Error('route has no caller: check its access in the route table');
  // An unknown or another owner's entry: `<kind>_not_found`, which the face's translator words "<kind> not found".
  const { entry } = await request.authorizeById(kind, id);
  if (!entry?.explicit) throw new NotFound(notFound, `${kind}_not_found`);
  return entry;
}

/** Creates an entry, or shows the hidden built-in of that name; 409 when the caller already has it. */
async function create(
  caller: Caller,
  kind: CatalogKind,
  name: string,
  updaters: Updater[] | undefined,
  canonical: { canonical?: string },
): Promise<CatalogEntry> {
  const service = catalogService();
  const existing = (await service.list(caller, kind)).find((e) => e.name === name);
  if (existing?.explicit) throw taken(kind, existing);
  if (existing)
    return service.update(caller, existing, { ...(kind === 'platform' ? { updaters: updaters ?? DEFAULT_UPDATERS } : {}), ...canonical });
  // Created by another request meanwhile: the name conflict is answered in faynoSync's words by the face's translator.
  return service.create(caller, kind, {
    name,
    ...(kind === 'channel' ? { follows: [] } : {}), // faynoSync's channels are isolated
    ...(kind === 'platform' ? { updaters: updaters ?? DEFAULT_UPDATERS } : {}),
    ...canonical,
  });
}

/** The four routes of one kind: `/<kind>/create`, `/<kind>/list`, `/<kind>/update`, `/<kind>/delete?id=`. */
export const faynoCatalogHandlers = {
  create: (kind: CatalogKind, route: RouteDefinition) =>
    apiRoute(route, resourceReader, async (request) => {
      const body = readJsonObject(request.event, INVALID_BODY);
      const name = faynoName(kind, body);
      // Created without updaters (or with none), a platform gets the manual one.
      const given = kind === 'platform' && !(body.updaters === undefined || (Array.isArray(body.updaters) && body.updaters.length === 0));
      const updaters = given ? faynoUpdaters(body.updaters) : undefined;
      const caller = callerOf(request);
      const entry = await create(caller, kind, name, updaters, declaredCanonical(kind, body));
      await grantCreated(caller, kind, entry.id);
      return json(200, { [`create${WORDS[kind].Kind}Result.Created`]: entry.id });
    }),

  list: (kind: CatalogKind, route: RouteDefinition) =>
    apiRoute(route, resourceReader, async (request) => {
      const caller = callerOf(request);
      const entries = (await catalogService().list(caller, kind)).filter((e) => e.explicit && visible(caller, kind, e.id));
      return json(200, { [WORDS[kind].listKey]: entries.length > 0 ? entries.map((e) => entryWire(e, caller.ownerName ?? '')) : null });
    }),

  update: (kind: CatalogKind, route: RouteDefinition) =>
    apiRoute(route, resourceReader, async (request) => {
      const body = readJsonObject(request.event, INVALID_BODY);
      const name = faynoName(kind, body);
      const updaters = kind === 'platform' ? faynoUpdaters(body.updaters) : undefined;
      const entry = await visibleEntry(request, kind, body.id, `${WORDS[kind].field} not found`, 'invalid id format');
      const caller = callerOf(request);
      if (name !== entry.name) {
        const holder = (await catalogService().list(caller, kind)).find((e) => e.name === name);
        if (holder) throw taken(kind, holder);
      }
      // A name another entry holds is answered in faynoSync's words by the face's translator (FACE_ERROR_WORDS).
      await catalogService().update(caller, entry, { name, ...(updaters ? { updaters } : {}), ...declaredCanonical(kind, body) });
      return json(200, { [`update${WORDS[kind].Kind}Result.Updated`]: true });
    }),

  delete: (kind: CatalogKind, route: RouteDefinition) =>
    apiRoute(route, resourceReader, async (request) => {
      const id = deleteId(request.event);
      try {
        const entry = await visibleEntry(request, kind, id, `${WORDS[kind].field} not found`, BAD_DELETE_ID);
        const caller = callerOf(request);
        // Built-ins stay (every API relies on them): this face's delete hides one again.
        if (entry.builtin) await catalogService().hide(caller, entry);
        else await catalogService().delete(caller, entry);
      } catch (error) {
        return failedDelete(WORDS[kind].field, error);
      }
      return json(200, { [`delete${WORDS[kind].Kind}Result.DeletedCount`]: 1 });
    }),
};
