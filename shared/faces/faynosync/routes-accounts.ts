/** faynoSync routes: sign-up, login, apps, channels, platforms, archs. */

import * as z from 'zod/mini';
import type { Access, Action, ResourceType } from '../../domain/access.js';
import type { Grant, RouteDefinition } from '../../http/route-definition.js';
import { appListAnswer, catalogListAnswer, loginAnswer, resultAnswer, signUpAnswer } from './answers.js';

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

/** `/app/create` and `/app/update`: a `data` field of JSON with string values, and a logo (accepted, not stored). */
const APP_FORM = {
  data: {
    kind: 'json',
    required: true,
    description: 'JSON with string values: app, description, private, tuf, reports, cdn (and id on update)',
  },
  file: { kind: 'file', description: "The app's logo (accepted, not stored)" },
} as const;

const face = { face: 'faynosync', domain: 'faynosync', edgeCache: false } as const;

function catalogRoutes(kind: 'channel' | 'platform' | 'arch', label: string): RouteDefinition[] {
  const Kind = `${kind[0]?.toUpperCase()}${kind.slice(1)}`;
  const [listKey, nameKey] = (
    { channel: ['channels', 'ChannelName'], platform: ['platforms', 'PlatformName'], arch: ['archs', 'ArchID'] } as const
  )[kind];
  return [
    {
      ...face,
      id: `Fs${Kind}Create`,
      responses: { 200: resultAnswer(`create${Kind}Result.Created`, z.string()) },
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
      responses: { 200: catalogListAnswer(listKey, nameKey) },
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
      responses: { 200: resultAnswer(`update${Kind}Result.Updated`, z.boolean()) },
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
      responses: { 200: resultAnswer(`delete${Kind}Result.DeletedCount`, z.number()) },
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
    responses: { 200: signUpAnswer },
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
    responses: { 200: loginAnswer },
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
    multipart: APP_FORM,
    responses: { 200: resultAnswer('createAppResult.Created', z.string()) },
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
    responses: { 200: appListAnswer },
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
    multipart: APP_FORM,
    responses: { 200: resultAnswer('updateAppResult.Updated', z.boolean()) },
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
    responses: { 200: resultAnswer('deleteAppResult.DeletedCount', z.number()) },
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
