import type { Caller } from '../domain/caller.js';
import type { ApiTokenRecord } from '../storage/api-token-repository.js';
import type { AuditEvent } from '../storage/audit-repository.js';
import type { TeamMember } from '../storage/team-repository.js';

/** A team user as the service's paths show it (never its password). */
export function teamUserDto(member: TeamMember) {
  return {
    id: member.id,
    username: member.username,
    permissions: member.permissions,
    tokens: member.tokens,
    disabled: member.disabled,
    createdAt: member.createdAt,
    updatedAt: member.updatedAt,
  };
}

/** An API token as listed: its prefix, never the token or its hash. */
export function apiTokenDto(token: ApiTokenRecord) {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    apps: token.apps,
    actions: token.actions,
    createdBy: token.createdBy,
    createdAt: token.createdAt,
    expiresAt: token.expiresAt ?? null,
    lastUsedAt: token.lastUsedAt ?? null,
  };
}

/** Who the caller is, as `GET /me` answers. */
export function whoAmIDto(caller: Caller) {
  return {
    kind: caller.kind,
    id: caller.userId,
    username: caller.username,
    accountId: caller.ownerId,
    accountName: caller.ownerName ?? null,
    ...(caller.kind === 'team' ? { permissions: caller.permissions, tokens: caller.tokens } : {}),
    ...(caller.kind === 'token' ? { scope: caller.scope } : {}),
  };
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
  };
}
