/**
 * faynoSync's team users, whoami, admin password and API tokens (`/user/*`, `/users/list`,
 * `/whoami`, `/admin/update`, `/token/*`) over the service's team users and scoped API tokens:
 * faynoSync's bodies, texts and key cases, our statuses (404 for another account's ids).
 */
import type { Caller } from '../../domain/caller.js';
import { Forbidden, Invalid, NotFound } from '../../domain/errors.js';
import { usernameProblem } from '../../domain/names.js';
import { isUserId, type Permissions } from '../../domain/permissions.js';
import { permissionsFrom, permissionsSchema } from '../../http/access-schemas.js';
import { apiRoute, callerOf } from '../../http/middleware.js';
import { json } from '../../http/respond.js';
import type { RouteDefinition } from '../../http/route-definition.js';
import { teamService, tokenService } from '../../services/access-container.js';
import { resourceReader } from '../../services/container.js';
import type { ApiTokenRecord } from '../../storage/api-token-repository.js';
import type { TeamMember } from '../../storage/team-repository.js';
import { INVALID_BODY, readJsonObject } from './accounts-wire.js';

/** Go's JSON decoder matches keys in any letter case; the permission keys are read so. */
function lowerKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerKeys);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), lowerKeys(v)]));
}

function parsePermissions(raw: unknown): Permissions {
  const result = permissionsSchema.safeParse(lowerKeys(raw));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Invalid(`${INVALID_BODY}: ${issue?.path.join('.') ?? 'permissions'}: ${issue?.message ?? 'invalid'}`);
  }
  return permissionsFrom(result.data);
}

/** faynoSync's response keys are Go's field names: capitalized, `Allowed` null when empty. */
function permissionsWire(p: Permissions) {
  const allowed = (ids: readonly string[]) => (ids.length > 0 ? ids : null);
  const block = (b: Permissions['channels']) => ({ Create: b.create, Delete: b.delete, Edit: b.edit, Allowed: allowed(b.allowed) });
  return {
    Apps: { ...block(p.apps), Download: p.apps.download, Upload: p.apps.upload },
    Channels: block(p.channels),
    Platforms: block(p.platforms),
    Archs: block(p.archs),
  };
}

function teamUserWire(member: TeamMember) {
  return { id: member.id, permissions: permissionsWire(member.permissions), updated_at: member.updatedAt, username: member.username };
}

/** A JSON body's field as a string, or faynoSync's "Invalid request body". */
function field(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw new Invalid(INVALID_BODY);
  return value;
}

function tokenWire(token: ApiTokenRecord) {
  return {
    allowed_apps: token.apps,
    created_at: token.createdAt,
    expires_at: token.expiresAt ?? null,
    id: token.id,
    ...(token.lastUsedAt ? { last_used_at: token.lastUsedAt } : {}),
    name: token.name,
    token_prefix: token.prefix,
  };
}

function whoAmIWire(caller: Caller) {
  if (caller.kind === 'owner') return { id: caller.ownerId, is_admin: true, username: caller.username };
  return {
    id: caller.userId,
    is_admin: false,
    owner: caller.ownerName ?? '',
    ...(caller.kind === 'team' ? { permissions: permissionsWire(caller.permissions) } : { allowed_apps: caller.scope.apps }),
    username: caller.username,
  };
}

export const faynoTeamHandlers = {
  createUser: (route: RouteDefinition) =>
    apiRoute(route, resourceReader, async (request) => {
      const body = readJsonObject(request.event, INVALID_BODY);
      const username = field(body, 'username');
      const password = field(body, 'password');
      const problem = usernameProblem(username);
      if (problem) throw new Invalid(problem);
      if (!body.permissions || typeof body.permissions !== 'object') throw new Invalid(INVALID_BODY);
      await teamService().create(callerOf(request), { username, password, permissions: parsePermissions(body.permissions) });
      return json(200, { message: 'Team user created successfully' });
    }),

  updateUser: (route: RouteDefinition) =>
    apiRoute(route, resourceReader, async (request) => {
      const body = readJsonObject(request.event, INVALID_BODY);
      const id = field(body, 'id');
      const username = typeof body.username === 'string' && body.username !== '' ? body.username : undefined;
      const password = typeof body.password === 'string' && body.password !== '' ? body.password : undefined;
      const permissions = body.permissions === undefined || body.permissions === null ? undefined : parsePermissions(body.permissions);
      await teamService().update(callerOf(request), id, {
        ...(username ? { username } : {}),
        ...(password ? { password } : {}),
        ...(permissions ? { permissions } : {}),
      });
      return json(200, { message: 'Team user updated successfully' });
    }),

  listUsers: (route: RouteDefinition) =>
    apiRoute(route, resourceReader, async (request) => {
      const members = await teamService().list(callerOf(request));
      return json(200, { users: members.length > 0 ? members.map(teamUserWire) : null });
    }),

  deleteUser: (route: RouteDefinition) =>
    apiRoute(route, resourceReader, async (request) => {
      const id = readJsonObject(request.event, INVALID_BODY).id;
      if (typeof id !== 'string' || !isUserId(id)) throw new Invalid('Invalid user ID format');
      // An unknown user is answered in faynoSync's words by the face's translator (FACE_ERROR_WORDS).
      await teamService().delete(callerOf(request), id);
      return json(200, { message: 'Team user deleted successfully' });
    }),

  whoAmI: (route: RouteDefinition) => apiRoute(route, resourceReader, async (request) => json(200, whoAmIWire(callerOf(request)))),

  updateAdmin: (route: RouteDefinition) =>
    apiRoute(route, resourceReader, async (request) => {
      const body = readJsonObject(request.event, INVALID_BODY);
      const caller = callerOf(request);
      const id = field(body, 'id');
      const username = field(body, 'username');
      const password = field(body, 'password');
      if (username !== caller.username) throw new Forbidden('Username mismatch');
      if (!isUserId(id)) throw new Invalid('Invalid ID format');
      if (id !== caller.ownerId) throw new NotFound('Admin not found');
      await teamService().setOwnPassword(caller, password);
      return json(200, { message: 'Admin updated successfully' });
    }),

  createToken: (route: RouteDefinition) =>
    apiRoute(route, resourceReader, async (request) => {
      const body = readJsonObject(request.event, INVALID_BODY);
      const name = field(body, 'name').trim();
      if (name === '' || name.length > 100) throw new Invalid('name must be 1-100 characters');
      const apps = body.allowed_apps;
      if (!Array.isArray(apps) || apps.length === 0 || apps.length > 100 || !apps.every((a) => typeof a === 'string'))
        throw new Invalid('allowed_apps must list 1 to 100 app ids');
      const expires = body.expires_at;
      if (expires !== undefined && expires !== null && (typeof expires !== 'string' || Number.isNaN(Date.parse(expires))))
        throw new Invalid('expires_at must be an RFC3339 time');
      const { record, token } = await tokenService().create(callerOf(request), {
        name,
        apps: apps as string[],
        actions: ['upload'],
        ...(typeof expires === 'string' ? { expiresAt: expires } : {}),
        prefix: 'fns',
      });
      return json(201, { ...tokenWire(record), token });
    }),

  listTokens: (route: RouteDefinition) =>
    apiRoute(route, resourceReader, async (request) => {
      const tokens = await tokenService().list(callerOf(request));
      return json(200, { tokens: tokens.map(tokenWire) });
    }),

  deleteToken: (route: RouteDefinition) =>
    apiRoute(route, resourceReader, async (request) => {
      const id = readJsonObject(request.event, INVALID_BODY).id;
      await tokenService().revoke(callerOf(request), typeof id === 'string' ? id : '');
      return json(200, { message: 'Token revoked' });
    }),
};
