/**
 * faynoSync's permission model for team users: per resource type, flags for create / delete / edit
 * (plus download and upload for apps) and an `allowed` list of the resource ids the user may act on.
 * A team user may also be allowed to manage API tokens (`tokens`), within its own permissions.
 */
import type { Action, ResourceType } from './access.js';

export interface ResourcePermissions {
  readonly create: boolean;
  readonly delete: boolean;
  readonly edit: boolean;
  readonly allowed: readonly string[];
}

export interface AppPermissions extends ResourcePermissions {
  readonly download: boolean;
  readonly upload: boolean;
}

export interface Permissions {
  readonly apps: AppPermissions;
  readonly channels: ResourcePermissions;
  readonly platforms: ResourcePermissions;
  readonly archs: ResourcePermissions;
}

export type PermissionBlock = keyof Permissions;

/** The resource types that carry permissions, and their block. */
export const BLOCK_OF: Record<Exclude<ResourceType, 'token'>, PermissionBlock> = {
  app: 'apps',
  channel: 'channels',
  platform: 'platforms',
  arch: 'archs',
};

/** What an API token may do: everything but creating apps, which has no app to scope it to. */
export const TOKEN_ACTIONS: readonly Action[] = ['read', 'upload', 'edit', 'delete', 'download'];

/** The most ids one `allowed` list holds. */
export const MAX_ALLOWED = 500;

export const NO_PERMISSIONS: Permissions = {
  apps: { create: false, delete: false, edit: false, download: false, upload: false, allowed: [] },
  channels: { create: false, delete: false, edit: false, allowed: [] },
  platforms: { create: false, delete: false, edit: false, allowed: [] },
  archs: { create: false, delete: false, edit: false, allowed: [] },
};

/** Whether the flags let a team user take `action` on resources of `type` (reading needs no flag). */
export function flagAllows(permissions: Permissions, type: Exclude<ResourceType, 'token'>, action: Action): boolean {
  if (action === 'read') return true;
  const block = permissions[BLOCK_OF[type]];
  switch (action) {
    case 'create':
    case 'delete':
    case 'edit':
      return block[action];
    case 'upload':
    case 'download':
      return type === 'app' && permissions.apps[action];
  }
}

/** Whether the resource is in the team user's `allowed` list for its type. */
export function inAllowed(permissions: Permissions, type: Exclude<ResourceType, 'token'>, id: string): boolean {
  return permissions[BLOCK_OF[type]].allowed.includes(id);
}

/** The permissions with `id` added to the `allowed` list of its type (what creating a resource grants its creator). */
export function withAllowed(permissions: Permissions, type: Exclude<ResourceType, 'token'>, id: string): Permissions {
  const block = BLOCK_OF[type];
  const current = permissions[block];
  if (current.allowed.includes(id)) return permissions;
  return { ...permissions, [block]: { ...current, allowed: [...current.allowed, id].slice(-MAX_ALLOWED) } };
}

/** Lists without duplicates, in first-seen order (faynoSync stores `[id, id]` as sent; the duplicates mean nothing). */
export function normalizedPermissions(permissions: Permissions): Permissions {
  const unique = (ids: readonly string[]) => [...new Set(ids)];
  return {
    apps: { ...permissions.apps, allowed: unique(permissions.apps.allowed) },
    channels: { ...permissions.channels, allowed: unique(permissions.channels.allowed) },
    platforms: { ...permissions.platforms, allowed: unique(permissions.platforms.allowed) },
    archs: { ...permissions.archs, allowed: unique(permissions.archs.allowed) },
  };
}

/** A team user id: the Cognito `sub` (a UUID). */
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUserId(value: string): boolean {
  return USER_ID.test(value);
}
