import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { type Caller, TEAM_GROUP } from '../domain/caller.js';
import { Conflict, type ErrorReason, Forbidden, Invalid, NotFound } from '../domain/errors.js';
import { isUserId, normalizedPermissions, type Permissions } from '../domain/permissions.js';
import type { ApiTokenRepository } from '../storage/api-token-repository.js';
import type { TeamMember, TeamRepository } from '../storage/team-repository.js';
import { cognitoErrorName, passwordProblem } from '../storage/user-pool.js';

export interface NewTeamUser {
  username: string;
  password: string;
  permissions: Permissions;
  tokens?: boolean;
}

export interface TeamUserChanges {
  /** The user name as the caller believes it is (faynoSync sends it): a different one is refused, names never change. */
  username?: string;
  password?: string;
  permissions?: Permissions;
  tokens?: boolean;
  disabled?: boolean;
}

/**
 * Team users: Cognito users in the team group, created, changed and deleted by their account's
 * owner, with their account and permissions in the table (read on each of their requests).
 */
export class TeamService {
  constructor(
    private readonly idp: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
    private readonly members: TeamRepository,
    private readonly tokens: ApiTokenRepository,
    private readonly now: () => Date = () => new Date(),
    /** Against cognito-local, which lacks some admin calls (the global sign-out). */
    private readonly local = false,
  ) {}

  /** Creates the Cognito user (confirmed, in the team group) and its record; 409 for a taken user name. */
  async create(owner: Caller, input: NewTeamUser): Promise<TeamMember> {
    const problem = passwordProblem(input.password);
    if (problem) throw new Invalid(problem);
    const user = { UserPoolId: this.userPoolId, Username: input.username };
    let sub: string | undefined;
    try {
      const created = await this.idp.send(
        new AdminCreateUserCommand({ ...user, MessageAction: 'SUPPRESS', TemporaryPassword: input.password }),
      );
      sub = created.User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
    } catch (error) {
      if (cognitoErrorName(error) === 'UsernameExistsException') throw new Conflict('Username already exists');
      if (['InvalidPasswordException', 'InvalidParameterException'].includes(cognitoErrorName(error)))
        throw new Invalid((error as Error).message);
      throw error;
    }
    try {
      if (!sub || !isUserId(sub)) throw new Error(`the user pool gave no usable sub for ${input.username}`);
      await this.idp.send(new AdminSetUserPasswordCommand({ ...user, Password: input.password, Permanent: true }));
      await this.idp.send(new AdminAddUserToGroupCommand({ ...user, GroupName: TEAM_GROUP }));
      const at = this.now().toISOString();
      const member: TeamMember = {
        id: sub,
        username: input.username,
        ownerId: owner.ownerId,
        ...(owner.ownerName ? { ownerName: owner.ownerName } : {}),
        permissions: normalizedPermissions(input.permissions),
        tokens: input.tokens ?? false,
        disabled: false,
        createdAt: at,
        updatedAt: at,
      };
      await this.members.put(member);
      return member;
    } catch (error) {
      // No half-made user: a retry would be told the name is taken.
      await this.idp.send(new AdminDeleteUserCommand(user)).catch(() => undefined);
      throw error;
    }
  }

  async list(owner: Caller): Promise<TeamMember[]> {
    return this.members.listByOwner(owner.ownerId);
  }

  /** The owner's team user; another account's, or none, is a 404. */
  async get(owner: Caller, id: string, reason: ErrorReason = 'team_user_not_found'): Promise<TeamMember> {
    if (!isUserId(id)) throw new Invalid('Invalid user ID format');
    const member = await this.members.get(id);
    if (!member || member.ownerId !== owner.ownerId) throw new NotFound('Team user not found', reason);
    return member;
  }

  /** Changes take effect on the user's next request: its record is read on every one. */
  async update(owner: Caller, id: string, changes: TeamUserChanges): Promise<TeamMember> {
    const member = await this.get(owner, id);
    if (changes.username !== undefined && changes.username !== member.username)
      throw new Invalid("a team user's username cannot change: create a new team user instead");
    const user = { UserPoolId: this.userPoolId, Username: member.username };
    if (changes.password !== undefined) {
      const problem = passwordProblem(changes.password);
      if (problem) throw new Invalid(problem);
      await this.idp.send(new AdminSetUserPasswordCommand({ ...user, Password: changes.password, Permanent: true }));
      await this.signOutEverywhere(member.username);
    }
    // Disabling in the pool stops new sign-ins; the record stops the tokens already issued.
    if (changes.disabled !== undefined && changes.disabled !== member.disabled)
      await this.idp.send(changes.disabled ? new AdminDisableUserCommand(user) : new AdminEnableUserCommand(user));
    const updated: TeamMember = {
      ...member,
      ...(changes.permissions ? { permissions: normalizedPermissions(changes.permissions) } : {}),
      ...(changes.tokens !== undefined ? { tokens: changes.tokens } : {}),
      ...(changes.disabled !== undefined ? { disabled: changes.disabled } : {}),
      updatedAt: this.now().toISOString(),
    };
    if (!(await this.members.replace(updated))) throw new NotFound('Team user not found');
    return updated;
  }

  /** Deletes the Cognito user, its record and the API tokens it made: its access ends with its next request. */
  async delete(owner: Caller, id: string): Promise<void> {
    const member = await this.get(owner, id, 'team_user_to_delete_not_found');
    await this.idp.send(new AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: member.username })).catch((error: unknown) => {
      if (cognitoErrorName(error) !== 'UserNotFoundException') throw error;
    });
    await this.members.delete(member.id);
    for (const token of await this.tokens.listByOwner(owner.ownerId)) if (token.createdBy === member.id) await this.tokens.delete(token);
  }

  /**
   * The owner's own password (faynoSync's `/admin/update`), then every session of the owner signed
   * out: its refresh tokens are revoked, so no session started before (a stolen one included) gets
   * another access token. An access token already issued stays valid until it expires (60 minutes at
   * most): owners' tokens are verified without a read, and that is kept. The change is in the audit trail (FsAdminUpdate).
   */
  async setOwnPassword(caller: Caller, password: string): Promise<void> {
    if (caller.kind !== 'owner') throw new Forbidden('Admin access required');
    const problem = passwordProblem(password);
    if (problem) throw new Invalid(problem);
    await this.idp.send(
      new AdminSetUserPasswordCommand({ UserPoolId: this.userPoolId, Username: caller.username, Password: password, Permanent: true }),
    );
    await this.signOutEverywhere(caller.username);
  }

  /** Revokes every refresh token of a user. cognito-local has no AdminUserGlobalSignOut: there the step is skipped. */
  private async signOutEverywhere(username: string): Promise<void> {
    try {
      await this.idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: this.userPoolId, Username: username }));
    } catch (error) {
      if (!(this.local && /Unsupported/.test(cognitoErrorName(error)))) throw error;
    }
  }
}
