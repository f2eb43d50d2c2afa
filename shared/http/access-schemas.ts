import * as z from 'zod/mini';
import { USERNAME_RULE, usernameProblem } from '../domain/names.js';
import { MAX_ALLOWED, type Permissions, TOKEN_ACTIONS } from '../domain/permissions.js';
import { component } from './route-definition.js';

/**
 * Request schemas of team users and API tokens (the service's paths; faynoSync's parse the same
 * permissions through `permissionsFrom`). The service's bodies are strict (an unknown field is a 400
 * naming it); faynoSync's permissions stay lenient, as its clients' are.
 */

const flag = (what: string) => z.optional(z.boolean({ error: `${what} must be true or false` }));
const allowed = z.optional(
  z.nullable(
    z
      .array(z.string().check(z.regex(/^[A-Za-z0-9._-]{1,64}$/, 'allowed lists hold resource ids (letters, digits, . _ -, at most 64)')))
      .check(z.maxLength(MAX_ALLOWED, `an allowed list holds at most ${MAX_ALLOWED} ids`)),
  ),
);
const blockShape = { create: flag('create'), delete: flag('delete'), edit: flag('edit'), allowed };
const appBlockShape = { ...blockShape, download: flag('download'), upload: flag('upload') };
const block = z.object(blockShape);

/** Permissions as faynoSync's clients send them: fields this service does not know are ignored. */
export const permissionsSchema = z.object({
  apps: z.optional(z.object(appBlockShape)),
  channels: z.optional(block),
  platforms: z.optional(block),
  archs: z.optional(block),
});

/** Permissions on the service's own paths: strict, an unknown field (`app` for `apps`) is a 400 naming it. */
const strictPermissionsSchema = z.strictObject({
  apps: z.optional(z.strictObject(appBlockShape)),
  channels: z.optional(z.strictObject(blockShape)),
  platforms: z.optional(z.strictObject(blockShape)),
  archs: z.optional(z.strictObject(blockShape)),
});

type BlockInput = z.infer<typeof block>;

function full(input: BlockInput | undefined) {
  return { create: input?.create ?? false, delete: input?.delete ?? false, edit: input?.edit ?? false, allowed: input?.allowed ?? [] };
}

/** Permissions from a validated request: what is not said is not allowed. */
export function permissionsFrom(input: z.infer<typeof permissionsSchema>): Permissions {
  return {
    apps: { ...full(input.apps), download: input.apps?.download ?? false, upload: input.apps?.upload ?? false },
    channels: full(input.channels),
    platforms: full(input.platforms),
    archs: full(input.archs),
  };
}

const username = z.string().check(z.refine((name) => usernameProblem(name) === undefined, USERNAME_RULE));
const password = z.string().check(z.minLength(1, 'password is required'), z.maxLength(256, 'password must be at most 256 characters'));

export const createTeamUserBody = z.strictObject({
  username,
  password,
  permissions: z.optional(strictPermissionsSchema),
  tokens: flag('tokens'),
});

export const updateTeamUserBody = z.strictObject({
  password: z.optional(password),
  permissions: z.optional(strictPermissionsSchema),
  tokens: flag('tokens'),
  disabled: flag('disabled'),
});

type Action = (typeof TOKEN_ACTIONS)[number];

export const createApiTokenBody = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1, 'name is required'), z.maxLength(100, 'name must be at most 100 characters')),
  apps: z.array(z.string().check(z.maxLength(64))).check(z.minLength(1, 'apps names at least one app'), z.maxLength(100)),
  /** What the token may do; read and upload when unsaid (a CI token). */
  actions: z._default(
    z
      .array(z.enum(TOKEN_ACTIONS as [Action, ...Action[]], { error: `actions are ${TOKEN_ACTIONS.join(', ')}` }))
      .check(z.minLength(1, 'actions names at least one action')),
    () => ['read', 'upload'] satisfies Action[],
  ),
  expires_at: z.optional(z.nullable(z.iso.datetime({ offset: true, error: 'expires_at must be an RFC 3339 date-time' }))),
});

export const auditQuery = z.object({
  /** Events per page, 50 when unsaid. */
  limit: z._default(
    z.pipe(
      z.string().check(z.regex(/^(?:[1-9]\d?|100)$/, 'limit must be 1-100')),
      z.transform((v) => Number(v)),
    ),
    50,
  ),
  cursor: z.optional(z.string().check(z.maxLength(128, 'cursor is not one this service gave'))),
});

/*
 * Response schemas of team users, API tokens, whoami and the audit trail (access-dto.ts). The
 * camelCase keys are the deprecated copies 0.1.0's clients read (removed in 0.2.0).
 */
const nullableString = z.nullable(z.string());
const resourcePermissions = { create: z.boolean(), delete: z.boolean(), edit: z.boolean(), allowed: z.array(z.string()) };

export const permissionsAnswer = component(
  'Permissions',
  z.object({
    apps: z.object({ ...resourcePermissions, download: z.boolean(), upload: z.boolean() }),
    channels: z.object(resourcePermissions),
    platforms: z.object(resourcePermissions),
    archs: z.object(resourcePermissions),
  }),
);

const action = z.enum(['read', 'create', 'edit', 'delete', 'upload', 'download']);

export const teamUserAnswer = component(
  'TeamUser',
  z.object({
    id: z.string(),
    username: z.string(),
    permissions: permissionsAnswer,
    tokens: z.boolean(),
    disabled: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
);

export const teamUserListAnswer = z.object({ users: z.array(teamUserAnswer) });

const apiTokenShape = {
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  apps: z.array(z.string()),
  actions: z.array(action),
  created_by: z.string(),
  created_at: z.string(),
  expires_at: nullableString,
  last_used_at: nullableString,
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: nullableString,
  lastUsedAt: nullableString,
};

export const apiTokenAnswer = component('ApiToken', z.object(apiTokenShape));

export const apiTokenListAnswer = z.object({ tokens: z.array(apiTokenAnswer) });

/** A new token: the listed fields and the token itself, shown once. */
export const newApiTokenAnswer = z.object({ ...apiTokenShape, token: z.string() });

/** Who the caller is: `permissions` and `tokens` for a team user, `scope` for an API token. */
export const whoAmIAnswer = z.object({
  kind: z.enum(['owner', 'team', 'token']),
  id: z.string(),
  username: z.string(),
  account_id: z.string(),
  account_name: nullableString,
  permissions: z.optional(permissionsAnswer),
  tokens: z.optional(z.boolean()),
  scope: z.optional(z.object({ apps: z.array(z.string()), actions: z.array(action) })),
  accountId: z.string(),
  accountName: nullableString,
});

export const auditPageAnswer = z.object({
  events: z.array(
    z.object({
      at: z.string(),
      id: z.string(),
      actor: z.object({ kind: z.string(), id: z.string(), name: z.string() }),
      action: z.string(),
      method: z.string(),
      path: z.string(),
      target: nullableString,
      status: z.number(),
      error: nullableString,
      detail: nullableString,
    }),
  ),
  next: nullableString,
});

/** A native sign-in: the user name and password of a Cognito user (an owner or a team user). */
export const createSessionBody = z.strictObject({
  username: z.string().check(z.minLength(1, 'username is required'), z.maxLength(128, 'username must be at most 128 characters')),
  password,
});

/** A session's renewal with the refresh token a sign-in gave. */
export const refreshSessionBody = z.strictObject({
  refresh_token: z
    .string()
    .check(z.minLength(1, 'refresh_token is required'), z.maxLength(8192, 'refresh_token must be at most 8192 characters')),
});

/** An access token (Bearer, 60 minutes), when it expires, and on a sign-in the refresh token (null on a renewal: keep the one you have). */
export const sessionAnswer = z.object({ access_token: z.string(), expires_at: z.string(), refresh_token: nullableString });
