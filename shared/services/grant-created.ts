import { dynamoDocumentClient } from '../clients/dynamodb.js';
import { ENV, requireEnv } from '../config/env.js';
import type { ResourceType } from '../domain/access.js';
import type { Caller } from '../domain/caller.js';
import { TeamRepository } from '../storage/team-repository.js';

/**
 * What a team user creates joins its `allowed` list, as in faynoSync, so it may go on acting on it
 * (within its flags). Nothing for the owner or an API token.
 */
export async function grantCreated(caller: Caller, type: Exclude<ResourceType, 'token'>, id: string): Promise<void> {
  if (caller.kind !== 'team') return;
  const members = new TeamRepository(dynamoDocumentClient(), requireEnv(ENV.tableName));
  await members.allow(caller.userId, type, id);
}
