/** The composition root of teams, API tokens and the audit trail (kept apart so their functions bundle only this). */

import { cognitoClient } from '../clients/cognito.js';
import { dynamoDocumentClient } from '../clients/dynamodb.js';
import { ENV, optionalEnv, requireEnv } from '../config/env.js';
import { ApiTokenRepository } from '../storage/api-token-repository.js';
import { TeamRepository } from '../storage/team-repository.js';
import { userPoolIdOf } from '../storage/user-pool.js';
import { resourceReader } from './container.js';
import { TeamService } from './team-service.js';
import { TokenService } from './token-service.js';

let team: TeamService | undefined;
let tokens: TokenService | undefined;

function apiTokenRepository(): ApiTokenRepository {
  return new ApiTokenRepository(dynamoDocumentClient(), requireEnv(ENV.tableName));
}

export function teamService(): TeamService {
  team ??= new TeamService(
    cognitoClient(),
    userPoolIdOf(requireEnv(ENV.cognitoIssuer)),
    new TeamRepository(dynamoDocumentClient(), requireEnv(ENV.tableName)),
    apiTokenRepository(),
    undefined,
    // A Cognito endpoint of its own is the local emulator's.
    optionalEnv(ENV.cognitoEndpoint) !== undefined,
  );
  return team;
}

export function tokenService(): TokenService {
  tokens ??= new TokenService(apiTokenRepository(), resourceReader());
  return tokens;
}
