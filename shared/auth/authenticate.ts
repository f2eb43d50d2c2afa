import { apiTokenHash, isApiToken } from '../domain/api-token.js';
import { type Caller, TEAM_GROUP, type TokenScope } from '../domain/caller.js';
import { Unauthorized } from '../domain/errors.js';
import { flagAllows, inAllowed } from '../domain/permissions.js';
import type { ApiTokenRecord } from '../storage/api-token-repository.js';
import type { TeamMember } from '../storage/team-repository.js';
import type { CognitoUser } from './token-verifier.js';

/** What authentication reads: the Cognito verifier, the team-user and API-token items. */
export interface Credentials {
  verifyAccessToken(token: string): Promise<CognitoUser>;
  member(id: string): Promise<TeamMember | undefined>;
  apiToken(hash: string): Promise<ApiTokenRecord | undefined>;
  /** Records an API token's use (best effort, rate-limited by the store). */
  touch(token: ApiTokenRecord, now: Date): Promise<void>;
}

/**
 * Who is calling, from `Authorization: Bearer <x>`: a Cognito access token (an owner, or a team user
 * whose record is read on every request, so a change of permissions, a disabled or a deleted user
 * take effect at once) or an API token (one read of its hash). 401 otherwise, with faynoSync's words.
 */
export async function authenticate(authorization: string | undefined, credentials: Credentials, now = new Date()): Promise<Caller> {
  if (authorization === undefined || authorization === '') throw new Unauthorized('missing authorization header');
  const match = /^Bearer ([^\s]+)$/i.exec(authorization);
  if (!match) throw new Unauthorized('invalid token format');
  const bearer = match[1] as string;
  if (isApiToken(bearer)) return tokenCaller(await credentials.apiToken(apiTokenHash(bearer)), credentials, now);
  const user = await credentials.verifyAccessToken(bearer);
  if (!user.groups.includes(TEAM_GROUP)) {
    return { kind: 'owner', ownerId: user.sub, ownerName: user.username, userId: user.sub, username: user.username };
  }
  const member = await credentials.member(user.sub);
  if (!member) throw new Unauthorized('User not found');
  if (member.disabled) throw new Unauthorized('User is disabled');
  return {
    kind: 'team',
    ownerId: member.ownerId,
    ...(member.ownerName ? { ownerName: member.ownerName } : {}),
    userId: member.id,
    username: member.username,
    permissions: member.permissions,
    tokens: member.tokens,
  };
}

async function tokenCaller(token: ApiTokenRecord | undefined, credentials: Credentials, now: Date): Promise<Caller> {
  if (!token) throw new Unauthorized('invalid or expired token');
  if (token.expiresAt && Date.parse(token.expiresAt) <= now.getTime()) throw new Unauthorized('token expired');
  const scope = await currentScope(token, credentials);
  await credentials.touch(token, now);
  return {
    kind: 'token',
    ownerId: token.ownerId,
    ...(token.ownerName ? { ownerName: token.ownerName } : {}),
    userId: `token:${token.id}`,
    username: token.name,
    tokenId: token.id,
    scope,
  };
}

/**
 * A token made by a team user never does more than that user may do now: its scope narrows with
 * the user's permissions (one more read), and dies with the user.
 */
async function currentScope(token: ApiTokenRecord, credentials: Credentials): Promise<TokenScope> {
  if (token.createdBy === token.ownerId) return { apps: token.apps, actions: token.actions };
  const creator = await credentials.member(token.createdBy);
  if (!creator || creator.ownerId !== token.ownerId || creator.disabled) throw new Unauthorized('invalid or expired token');
  return {
    apps: token.apps.filter((id) => inAllowed(creator.permissions, 'app', id)),
    actions: token.actions.filter((action) => flagAllows(creator.permissions, 'app', action)),
  };
}
