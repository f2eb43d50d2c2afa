import type { Caller } from '../domain/caller.js';
import type { Session } from '../services/session-service.js';
import type { ApiTokenRecord } from '../storage/api-token-repository.js';
import type { AuditEvent } from '../storage/audit-repository.js';
import type { TeamMember } from '../storage/team-repository.js';

/*
 * The native API answers snake_case, as its other resources do. Team users, API tokens and whoami
 * answered camelCase keys in 0.1.0, and the README promised them (`expiresAt` on a new token), so
 * their answers also carry the old keys as deprecated copies of the same values until 0.2.0, which
 * removes `deprecatedCamelCase` and every key it adds (docs/teams-and-tokens.md says so).
 */
function deprecatedCamelCase<T extends Record<string, unknown>>(snake: T, camel: Record<string, unknown>): T {
  return { ...snake, ...camel };
}

/** A team user as the service's paths show it (never its password). */
export function teamUserDto(member: TeamMember) {
  const wire = {
    id: member.id,
    username: member.username,
    permissions: member.permissions,
    tokens: member.tokens,
    disabled: member.disabled,
    created_at: member.createdAt,
    updated_at: member.updatedAt,
  };
  return deprecatedCamelCase(wire, { createdAt: wire.created_at, updatedAt: wire.updated_at });
}

/** An API token as listed: its prefix, never the token or its hash. */
export function apiTokenDto(token: ApiTokenRecord) {
  const wire = {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    apps: token.apps,
    actions: token.actions,
    created_by: token.createdBy,
    created_at: token.createdAt,
    expires_at: token.expiresAt ?? null,
    last_used_at: token.lastUsedAt ?? null,
  };
  return deprecatedCamelCase(wire, {
    createdBy: wire.created_by,
    createdAt: wire.created_at,
    expiresAt: wire.expires_at,
    lastUsedAt: wire.last_used_at,
  });
}

/** Who the caller is, as `GET /whoami` answers. */
export function whoAmIDto(caller: Caller) {
  const wire = {
    kind: caller.kind,
    id: caller.userId,
    username: caller.username,
    account_id: caller.ownerId,
    account_name: caller.ownerName ?? null,
    ...(caller.kind === 'team' ? { permissions: caller.permissions, tokens: caller.tokens } : {}),
    ...(caller.kind === 'token' ? { scope: caller.scope } : {}),
  };
  return deprecatedCamelCase(wire, { accountId: wire.account_id, accountName: wire.account_name });
}

export function auditEventDto(event: AuditEvent) {
  return {
    at: event.at,
    id: event.id,
    actor: { kind: event.actorKind, id: event.actorId, name: event.actorName },
    action: event.action,
    method: event.method,
    path: event.path,
    target: event.target ?? null,
    status: event.status,
    error: event.error ?? null,
    detail: event.detail ?? null,
  };
}

/** A session as the native API answers it (`expires_at` from the access token's lifetime). */
export function sessionDto(session: Session, now = new Date()) {
  return {
    access_token: session.accessToken,
    expires_at: new Date(now.getTime() + session.expiresIn * 1000).toISOString(),
    refresh_token: session.refreshToken ?? null,
  };
}
