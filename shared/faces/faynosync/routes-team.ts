/** faynoSync routes: team users, whoami, the admin's password and API tokens. */
import type { Access, Action } from '../../domain/access.js';
import type { Grant, RouteDefinition } from '../../http/route-definition.js';
import { messageAnswer, newTokenAnswer, teamUserListAnswer, tokenListAnswer, whoAmIAnswer } from './answers.js';

const OWNER: Access = { kind: 'owner' };
const onTokens = (action: Action): Access => ({ kind: 'caller', resourceType: 'token', action, resource: { type: 'account' } });
const MANAGE_USERS: readonly Grant[] = ['table:write', 'cognito:manage-users'];

const face = { face: 'faynosync', domain: 'access', edgeCache: false } as const;

export const FAYNOSYNC_TEAM_ROUTES: readonly RouteDefinition[] = [
  {
    ...face,
    id: 'FsUserCreate',
    responses: { 200: messageAnswer },
    method: 'POST',
    path: '/user/create',
    handler: 'fs-user-create',
    access: OWNER,
    grants: MANAGE_USERS,
    summary: 'faynoSync: create a team user with permissions (admin only)',
  },
  {
    ...face,
    id: 'FsUserUpdate',
    responses: { 200: messageAnswer },
    method: 'POST',
    path: '/user/update',
    handler: 'fs-user-update',
    access: OWNER,
    grants: MANAGE_USERS,
    summary: "faynoSync: change a team user's password or permissions (admin only)",
  },
  {
    ...face,
    id: 'FsUsersList',
    responses: { 200: teamUserListAnswer },
    method: 'GET',
    path: '/users/list',
    handler: 'fs-users-list',
    access: OWNER,
    grants: ['table:index'],
    summary: "faynoSync: the admin's team users (admin only)",
  },
  {
    ...face,
    id: 'FsUserDelete',
    responses: { 200: messageAnswer },
    method: 'DELETE',
    path: '/user/delete',
    handler: 'fs-user-delete',
    access: OWNER,
    grants: [...MANAGE_USERS, 'table:index'],
    summary: 'faynoSync: delete a team user ({"id"} in the body; admin only)',
  },
  {
    ...face,
    id: 'FsWhoAmI',
    responses: { 200: whoAmIAnswer },
    method: 'GET',
    path: '/whoami',
    handler: 'fs-who-am-i',
    access: { kind: 'signed-in' },
    grants: [],
    summary: 'faynoSync: who the caller is (admin, or team user with its permissions and owner)',
  },
  {
    ...face,
    id: 'FsAdminUpdate',
    responses: { 200: messageAnswer },
    method: 'POST',
    path: '/admin/update',
    handler: 'fs-admin-update',
    access: OWNER,
    grants: ['cognito:manage-users'],
    summary: "faynoSync: change the admin's own password",
  },
  {
    ...face,
    id: 'FsTokenCreate',
    responses: { 201: newTokenAnswer },
    method: 'POST',
    path: '/token/create',
    handler: 'fs-token-create',
    access: onTokens('create'),
    grants: ['table:write'],
    summary: 'faynoSync: create an upload API token (fns_…) for some apps, shown once',
  },
  {
    ...face,
    id: 'FsTokenList',
    responses: { 200: tokenListAnswer },
    method: 'GET',
    path: '/token/list',
    handler: 'fs-token-list',
    access: onTokens('read'),
    grants: ['table:index'],
    summary: "faynoSync: the account's API tokens (prefixes only)",
  },
  {
    ...face,
    id: 'FsTokenDelete',
    responses: { 200: messageAnswer },
    method: 'DELETE',
    path: '/token/delete',
    handler: 'fs-token-delete',
    access: onTokens('delete'),
    grants: ['table:write', 'table:index'],
    summary: 'faynoSync: revoke an API token ({"id"} in the body)',
  },
];
