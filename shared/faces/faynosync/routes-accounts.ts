/** faynoSync routes: sign-up, login, apps, channels, platforms, archs. */
import type { Access, Action, ResourceType } from '../../domain/access.js';
import type { Grant, RouteDefinition } from '../../http/route-definition.js';

const PUBLIC: Access = { kind: 'public' };
/** The caller acts on its own account; an id in the query or body is authorized by the handler (authorizeById). */
const account = (resourceType: ResourceType, action: Action): Access => ({
  kind: 'caller',
  resourceType,
  action,
  resource: { type: 'account' },
});

const WRITE: readonly Grant[] = ['table:write'];
/** A catalog change rebuilds the feeds of every app of the owner (the owner index lists them). */
const WRITE_AND_REBUILD: readonly Grant[] = ['table:write', 'table:index'];

const face = { face: 'faynosync', domain: 'faynosync', edgeCache: false } as const;

function catalogRoutes(kind: 'channel' | 'platform' | 'arch', label: string): RouteDefinition[] {
  const Kind = `${kind[0]?.toUpperCase()}${kind.slice(1)}`;
  return [
    {
      ...face,
      id: `Fs${Kind}Create`,
      method: 'POST',
      path: `/${kind}/create`,
      handler: `fs-${kind}-create`,
      access: account(kind, 'create'),
      grants: WRITE_AND_REBUILD, // creating a hidden built-in's name shows it, which rebuilds
      summary: `faynoSync: create a ${label} (JSON {"${kind}"${kind === 'platform' ? ', "updaters"' : ''}})`,
    },
    {
      ...face,
      id: `Fs${Kind}List`,
      method: 'GET',
      path: `/${kind}/list`,
      handler: `fs-${kind}-list`,
      access: account(kind, 'read'),
      grants: WRITE, // the first read provides the built-in entries
      summary: `faynoSync: the ${label}s the caller created (null when none)`,
    },
    {
      ...face,
      id: `Fs${Kind}Update`,
      method: 'POST',
      path: `/${kind}/update`,
      handler: `fs-${kind}-update`,
      access: account(kind, 'edit'),
      grants: WRITE_AND_REBUILD,
      summary: `faynoSync: rename a ${label}${kind === 'platform' ? ' and set its updaters' : ''} (JSON {"id", …})`,
    },
    {
      ...face,
      id: `Fs${Kind}Delete`,
      method: 'DELETE',
      path: `/${kind}/delete`,
      handler: `fs-${kind}-delete`,
      access: account(kind, 'delete'),
      grants: WRITE_AND_REBUILD,
      summary: `faynoSync: delete an unused ${label} (?id=; 409 while versions use it)`,
    },
  ];
}

export const FAYNOSYNC_ACCOUNT_ROUTES: readonly RouteDefinition[] = [
  {
    ...face,
    id: 'FsSignUp',
    method: 'POST',
    path: '/signup',
    handler: 'fs-signup',
    access: PUBLIC,
    grants: ['cognito:create-user'],
    summary: "faynoSync: create a user of the pool with the deployer's sign-up key (off unless the stack enables it)",
  },
  {
    ...face,
    id: 'FsLogin',
    method: 'POST',
    path: '/login',
    handler: 'fs-login',
    access: PUBLIC,
    grants: [],
    summary: 'faynoSync: username and password for a Cognito access token ({"token"})',
  },
  {
    ...face,
    id: 'FsAppCreate',
    method: 'POST',
    path: '/app/create',
    handler: 'fs-app-create',
    access: account('app', 'create'),
    grants: WRITE,
    summary: 'faynoSync: create an app (multipart data field; the logo file is accepted, not stored)',
  },
  {
    ...face,
    id: 'FsAppList',
    method: 'GET',
    path: '/app/list',
    handler: 'fs-app-list',
    access: account('app', 'read'),
    grants: ['table:index', 'table:query'],
    summary: "faynoSync: the caller's apps (null when none)",
  },
  {
    ...face,
    id: 'FsAppUpdate',
    method: 'POST',
    path: '/app/update',
    handler: 'fs-app-update',
    access: account('app', 'edit'),
    // `private` retags the app's verified objects.
    grants: [...WRITE, 'artifacts:tag'],
    summary: "faynoSync: rename an app or change its settings, `private` included (multipart data field with the app's id)",
  },
  {
    ...face,
    id: 'FsAppDelete',
    method: 'DELETE',
    path: '/app/delete',
    handler: 'fs-app-delete',
    access: account('app', 'delete'),
    grants: [...WRITE, 'artifacts:delete'],
    summary: 'faynoSync: delete an app that has no versions (?id=; 409 while it has some)',
  },
  ...catalogRoutes('channel', 'channel'),
  ...catalogRoutes('platform', 'platform'),
  ...catalogRoutes('arch', 'architecture'),
];
