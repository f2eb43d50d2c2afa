import { dynamoDocumentClient } from '../clients/dynamodb.js';
import { DEFAULT_AUDIT_RETENTION_DAYS, ENV, optionalEnv, requireEnv } from '../config/env.js';
import { ApiTokenRepository } from '../storage/api-token-repository.js';
import { AuditRepository } from '../storage/audit-repository.js';
import { TeamRepository } from '../storage/team-repository.js';
import type { Credentials } from './authenticate.js';
import { AccessTokenVerifier } from './token-verifier.js';

let credentials: Credentials | undefined;
let audit: AuditRepository | undefined;

/** What the middleware authenticates with, built once per container from its environment. */
export function credentialsFromEnv(): Credentials {
  if (credentials) return credentials;
  const verifier = AccessTokenVerifier.fromEnv();
  const table = requireEnv(ENV.tableName);
  const members = new TeamRepository(dynamoDocumentClient(), table);
  const tokens = new ApiTokenRepository(dynamoDocumentClient(), table);
  credentials = {
    verifyAccessToken: (token) => verifier.userFrom(token),
    member: (id) => members.get(id),
    apiToken: (hash) => tokens.byHash(hash),
    touch: (token, now) => tokens.touch(token, now),
  };
  return credentials;
}

export function auditTrail(): AuditRepository {
  audit ??= new AuditRepository(dynamoDocumentClient(), requireEnv(ENV.tableName));
  return audit;
}

/** Days an audit event is kept: the deployer's setting, or the default. */
export function auditRetentionDays(): number {
  const days = Number(optionalEnv(ENV.auditRetentionDays) ?? DEFAULT_AUDIT_RETENTION_DAYS);
  return Number.isInteger(days) && days > 0 ? days : DEFAULT_AUDIT_RETENTION_DAYS;
}
