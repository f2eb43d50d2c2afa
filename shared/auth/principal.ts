/**
 * The authenticated caller. Today a Cognito user acting on its own account; the teams issue adds
 * team users (acting on their owner's account, within their permissions) and API tokens.
 */
export interface Caller {
  /** The account whose resources the caller acts on: a Cognito `sub`, the stable id that owns apps and catalogs. */
  readonly ownerId: string;
  /** Who is acting (for logs and, later, the audit trail). */
  readonly userId: string;
  readonly username: string;
  readonly kind: 'owner';
  readonly groups: readonly string[];
}

export const ADMINS_GROUP = 'admins';
