import type { Action } from './access.js';
import type { Permissions } from './permissions.js';

/**
 * The authenticated caller. Every kind acts on one account's resources (`ownerId`):
 * - `owner`: the account itself (a Cognito user who is not a team user): may do everything on its account;
 * - `team`: a team user of the account (a Cognito user in the team group, with a record in the table):
 *   acts only as its permissions say, read on every request;
 * - `token`: an API token of the account: acts only on the apps and actions of its scope.
 */
export type Caller = OwnerCaller | TeamCaller | TokenCaller;

interface CallerBase {
  /** The account whose resources the caller acts on: the owner's Cognito `sub`. */
  readonly ownerId: string;
  /** The owner's user name (faynoSync's `owner`), when known. */
  readonly ownerName?: string;
  /** Who is acting, for the audit trail and logs: a Cognito `sub`, or `token:<id>`. */
  readonly userId: string;
  /** The user name, or the token's name. */
  readonly username: string;
}

export interface OwnerCaller extends CallerBase {
  readonly kind: 'owner';
}

export interface TeamCaller extends CallerBase {
  readonly kind: 'team';
  readonly permissions: Permissions;
  /** May create, list and revoke API tokens (within its own permissions). */
  readonly tokens: boolean;
}

export interface TokenScope {
  /** The app ids the token may act on. */
  readonly apps: readonly string[];
  readonly actions: readonly Action[];
}

export interface TokenCaller extends CallerBase {
  readonly kind: 'token';
  readonly tokenId: string;
  readonly scope: TokenScope;
}

/** The Cognito group of administrators (the local stack's first user is one). */
export const ADMINS_GROUP = 'admins';

/**
 * The Cognito group of team users. Its members' access tokens carry it (`cognito:groups`), so a team
 * user whose record is gone (deleted) is refused instead of being taken for the owner of an empty account.
 */
export const TEAM_GROUP = 'team-users';
