/**
 * faynoSync's answers at its own paths, as its clients read them (the wire modules and handlers of
 * this face write them): the route table's `responses` and the OpenAPI document use these schemas.
 * Objects are open where faynoSync's own answers carry more than we write (its clients ignore
 * unknown keys), closed where we write a fixed set.
 */
import * as z from 'zod/mini';
import { component } from '../../http/route-definition.js';
import { haltedAnswer } from '../../http/schemas.js';

/** faynoSync's `{"<operation>Result.<Outcome>": value}` answers. */
export const resultAnswer = (key: string, value: z.ZodMiniType) => z.object({ [key]: value });

/** `{"message": "..."}` of the team routes. */
export const messageAnswer = z.object({ message: z.string() });

export const loginAnswer = z.object({ token: z.string() });

export const signUpAnswer = z.object({ result: z.string() });

const appWire = component(
  'FaynoSyncApp',
  z.object({
    ID: z.string(),
    AppName: z.string(),
    Logo: z.string(),
    Private: z.boolean(),
    Tuf: z.boolean(),
    Reports: z.boolean(),
    CdnEdge: z.boolean(),
    Description: z.string(),
    Owner: z.string(),
    Updated_at: z.string(),
  }),
);

/** faynoSync answers `null`, not `[]`, for an empty list. */
export const appListAnswer = z.object({ apps: z.nullable(z.array(appWire)) });

/** A channel, platform or arch (`ChannelName`, `PlatformName` or `ArchID`; `Updaters` on platforms; `Canonical` when declared). */
const catalogEntryWire = (nameKey: string) =>
  z.object({
    ID: z.string(),
    [nameKey]: z.string(),
    Updaters: z.optional(z.array(z.object({ type: z.string(), default: z.boolean() }))),
    Canonical: z.optional(z.string()),
    Owner: z.string(),
    Updated_at: z.string(),
  });

/** The list answer of a catalog kind, under its key (`channels`, `platforms`, `archs`). */
export const catalogListAnswer = (listKey: string, nameKey: string) =>
  z.object({ [listKey]: z.nullable(z.array(catalogEntryWire(nameKey))) });

const block = { Create: z.boolean(), Delete: z.boolean(), Edit: z.boolean(), Allowed: z.nullable(z.array(z.string())) };
const permissionsWire = component(
  'FaynoSyncPermissions',
  z.object({
    Apps: z.object({ ...block, Download: z.boolean(), Upload: z.boolean() }),
    Channels: z.object(block),
    Platforms: z.object(block),
    Archs: z.object(block),
  }),
);

export const teamUserListAnswer = z.object({
  users: z.nullable(z.array(z.object({ id: z.string(), permissions: permissionsWire, updated_at: z.string(), username: z.string() }))),
});

/** Who the caller is: the owner (`is_admin`), a team user (`permissions`) or a token (`allowed_apps`). */
export const whoAmIAnswer = z.object({
  id: z.string(),
  is_admin: z.boolean(),
  owner: z.optional(z.string()),
  permissions: z.optional(permissionsWire),
  allowed_apps: z.optional(z.array(z.string())),
  username: z.string(),
});

const tokenShape = {
  allowed_apps: z.array(z.string()),
  created_at: z.string(),
  expires_at: z.nullable(z.string()),
  id: z.string(),
  last_used_at: z.optional(z.string()),
  name: z.string(),
  token_prefix: z.string(),
};

export const tokenListAnswer = z.object({ tokens: z.array(z.object(tokenShape)) });

export const newTokenAnswer = z.object({ ...tokenShape, token: z.string() });

const versionWire = component(
  'FaynoSyncVersion',
  z.object({
    ID: z.string(),
    AppName: z.string(),
    Version: z.string(),
    Channel: z.string(),
    Published: z.boolean(),
    Critical: z.boolean(),
    Intermediate: z.boolean(),
    Artifacts: z.array(z.object({ link: z.string(), platform: z.string(), arch: z.string(), package: z.string() })),
    Changelog: z.array(z.object({ Version: z.string(), Changes: z.string(), Date: z.string() })),
    Updated_at: z.string(),
    RolloutPercent: z.number(),
    Halted: haltedAnswer,
  }),
);

/** `/search`: the seed's envelope (`apps`) and current faynoSync's (`items`, `total`, `page`, `limit`) together. */
export const searchAnswer = z.object({
  apps: z.array(versionWire),
  items: z.array(versionWire),
  total: z.number(),
  page: z.number(),
  limit: z.number(),
});

export const downloadAnswer = z.object({ download_url: z.string() });

export const presignAnswer = z.object({
  id: z.string(),
  uploads: z.array(z.object({ name: z.string(), artifact_id: z.string(), upload_url: z.string(), expires_at: z.string() })),
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
  confirm: z.object({ id: z.string(), publish: z.boolean() }),
});

/**
 * `/checkVersion`: faynoSync's answer (`update_available`, `critical`, and a link per package under
 * `update_url_<package>`, so the object stays open; Squirrel.Mac's adds `url`), or Tauri's format.
 */
export const checkVersionAnswer = z.union([
  z.looseObject({
    update_available: z.boolean(),
    critical: z.boolean(),
    possible_rollback: z.optional(z.boolean()),
    is_intermediate_required: z.optional(z.boolean()),
    changelog: z.optional(z.string()),
    signature: z.optional(z.string()),
    rollout: z.optional(z.object({ percent: z.number(), seed: z.string() })),
    url: z.optional(z.string()),
  }),
  z.object({ version: z.string(), url: z.string(), signature: z.string(), notes: z.optional(z.string()) }),
]);

/** `/apps/latest`: channel → platform → arch → package → link (a 302 when one link remains). */
export const latestAnswer = z.record(z.string(), z.record(z.string(), z.record(z.string(), z.record(z.string(), z.looseObject({})))));
