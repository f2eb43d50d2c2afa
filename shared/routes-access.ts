/**
 * Teams, API tokens, whoami and the audit trail: the service's own paths. Entries have the shape
 * `RouteDefinition`; the route table (`shared/routes.ts`) includes them.
 */
import type { Access, Action } from './domain/access.js';
import { API_PREFIX } from './domain/public-paths.js';
import {
  apiTokenListAnswer,
  auditPageAnswer,
  auditQuery,
  createApiTokenBody,
  createTeamUserBody,
  newApiTokenAnswer,
  teamUserAnswer,
  teamUserListAnswer,
  updateTeamUserBody,
  whoAmIAnswer,
} from './http/access-schemas.js';
import { EMPTY, type Grant, type RouteDefinition } from './http/route-definition.js';

const OWNER: Access = { kind: 'owner' };
const onTokens = (action: Action): Access => ({ kind: 'caller', resourceType: 'token', action, resource: { type: 'account' } });
const USERS = `${API_PREFIX}/team/users`;
const TOKENS = `${API_PREFIX}/tokens`;
const MANAGE_USERS: readonly Grant[] = ['table:write', 'cognito:manage-users'];

const base = { edgeCache: false, domain: 'access' } as const;

export const ACCESS_ROUTES: readonly RouteDefinition[] = [
  {
    ...base,
    id: 'CreateTeamUser',
    responses: { 201: teamUserAnswer },
    method: 'POST',
    path: USERS,
    handler: 'create-team-user',
    access: OWNER,
    grants: MANAGE_USERS,
    request: { body: createTeamUserBody },
    summary: 'Create a team user (a Cognito user acting on this account within its permissions)',
  },
  {
    ...base,
    id: 'ListTeamUsers',
    responses: { 200: teamUserListAnswer },
    method: 'GET',
    path: USERS,
    handler: 'list-team-users',
    access: OWNER,
    grants: ['table:index'],
    summary: "The account's team users and their permissions",
  },
  {
    ...base,
    id: 'UpdateTeamUser',
    responses: { 200: teamUserAnswer },
    method: 'PATCH',
    path: `${USERS}/{user_id}`,
    handler: 'update-team-user',
    access: OWNER,
    grants: MANAGE_USERS,
    request: { body: updateTeamUserBody },
    summary: "Change a team user's password, permissions, token right or disabled state (effective on its next request)",
  },
  {
    ...base,
    id: 'DeleteTeamUser',
    responses: { 204: EMPTY },
    method: 'DELETE',
    path: `${USERS}/{user_id}`,
    handler: 'delete-team-user',
    access: OWNER,
    grants: [...MANAGE_USERS, 'table:index'],
    summary: 'Delete a team user and the API tokens it made',
  },
  {
    ...base,
    id: 'WhoAmI',
    responses: { 200: whoAmIAnswer },
    method: 'GET',
    path: `${API_PREFIX}/whoami`,
    handler: 'who-am-i',
    access: { kind: 'signed-in' },
    grants: [],
    summary: 'Who the caller is: owner, team user (with permissions) or API token (with scope)',
  },
  {
    ...base,
    id: 'CreateApiToken',
    responses: { 201: newApiTokenAnswer },
    method: 'POST',
    path: TOKENS,
    handler: 'create-api-token',
    access: onTokens('create'),
    grants: ['table:write'],
    request: { body: createApiTokenBody },
    summary: 'Create a scoped API token for CI (apps, actions, expiry); the token is shown once',
  },
  {
    ...base,
    id: 'ListApiTokens',
    responses: { 200: apiTokenListAnswer },
    method: 'GET',
    path: TOKENS,
    handler: 'list-api-tokens',
    access: onTokens('read'),
    grants: ['table:index'],
    summary: "The account's API tokens (prefixes only), newest first",
  },
  {
    ...base,
    id: 'RevokeApiToken',
    responses: { 204: EMPTY },
    method: 'DELETE',
    path: `${TOKENS}/{token_id}`,
    handler: 'revoke-api-token',
    access: onTokens('delete'),
    grants: ['table:write', 'table:index'],
    summary: 'Revoke an API token (its next request is a 401)',
  },
  {
    ...base,
    id: 'ListAuditEvents',
    responses: { 200: auditPageAnswer },
    method: 'GET',
    path: `${API_PREFIX}/audit`,
    handler: 'list-audit-events',
    access: OWNER,
    grants: ['table:query'],
    request: { query: auditQuery },
    summary: "The account's audit trail: every management change, newest first, paged",
  },
];
