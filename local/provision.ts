import { randomBytes } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { ADMINS_GROUP } from '../shared/domain/caller.js';
import { ARTIFACT_BUCKET_CORS } from '../shared/storage/bucket-definition.js';
import { TABLE_DEFINITION } from '../shared/storage/table-definition.js';
import { USER_POOL_DEFINITION } from '../shared/storage/user-pool-definition.js';

export const LOCAL_REGION = 'us-east-1';
// s3rver's built-in account; DynamoDB Local and cognito-local accept any credentials.
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** Creates the single table exactly as the stack defines it, unless it exists. */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const db = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const { TableNames } = await db.send(new ListTablesCommand({}));
  if (TableNames?.includes(tableName)) return;
  const t = TABLE_DEFINITION;
  const attributes = [t.partitionKey, t.sortKey, ...t.globalIndexes.flatMap((g) => [g.partitionKey, g.sortKey])];
  await db.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: t.streamView },
      AttributeDefinitions: attributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: t.partitionKey, KeyType: 'HASH' },
        { AttributeName: t.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: t.globalIndexes.map((g) => ({
        IndexName: g.indexName,
        KeySchema: [
          { AttributeName: g.partitionKey, KeyType: 'HASH' },
          { AttributeName: g.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  await db.send(
    new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: t.timeToLiveAttribute, Enabled: true } }),
  );
  db.destroy();
}

/** The bucket's CORS rules as the XML s3rver reads at start. */
export function corsXml(): string {
  const c = ARTIFACT_BUCKET_CORS;
  const rule = [
    ...c.allowedOrigins.map((o) => `<AllowedOrigin>${o}</AllowedOrigin>`),
    ...c.allowedMethods.map((m) => `<AllowedMethod>${m}</AllowedMethod>`),
    ...c.allowedHeaders.map((h) => `<AllowedHeader>${h}</AllowedHeader>`),
    ...c.exposedHeaders.map((h) => `<ExposeHeader>${h}</ExposeHeader>`),
    `<MaxAgeSeconds>${c.maxAgeSeconds}</MaxAgeSeconds>`,
  ].join('');
  return `<CORSConfiguration><CORSRule>${rule}</CORSRule></CORSConfiguration>`;
}

export interface CognitoSetup {
  userPoolId: string;
  clientId: string;
  admin: { username: string; password: string };
}

/** Brings a pool made by an earlier version up to today's definition: its groups and its client's token lifetimes. */
async function converge(idp: CognitoIdentityProviderClient, setup: CognitoSetup): Promise<void> {
  const d = USER_POOL_DEFINITION;
  const existing = await idp.send(new ListGroupsCommand({ UserPoolId: setup.userPoolId }));
  for (const group of d.groups) {
    if (existing.Groups?.some((g) => g.GroupName === group.name)) continue;
    await idp.send(new CreateGroupCommand({ UserPoolId: setup.userPoolId, GroupName: group.name, Description: group.description }));
  }
  await idp.send(new UpdateUserPoolClientCommand({ UserPoolId: setup.userPoolId, ClientId: setup.clientId, ...clientSettings() }));
}

/** The app client's settings, from the pool's definition (the cloud's, see infra/constructs/auth.ts). */
function clientSettings() {
  const d = USER_POOL_DEFINITION;
  return {
    ExplicitAuthFlows: [...d.clientAuthFlows],
    // The cloud's lifetimes (cognito-local defaults to 24 hours otherwise).
    AccessTokenValidity: d.accessTokenValidityMinutes,
    IdTokenValidity: d.accessTokenValidityMinutes,
    RefreshTokenValidity: d.refreshTokenValidityDays,
    TokenValidityUnits: { AccessToken: 'minutes' as const, IdToken: 'minutes' as const, RefreshToken: 'days' as const },
  };
}

/** Reuses a previously created pool when it still exists; otherwise creates pool, client, group and admin. */
export async function ensureCognito(endpoint: string, previous?: CognitoSetup): Promise<CognitoSetup> {
  const idp = new CognitoIdentityProviderClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    if (previous) {
      await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: previous.userPoolId, ClientId: previous.clientId }));
      await converge(idp, previous);
      return previous;
    }
  } catch {
    // The emulator's state was removed: provision anew.
  }
  const d = USER_POOL_DEFINITION;
  const pool = await idp.send(
    new CreateUserPoolCommand({
      PoolName: 'ota-local',
      UsernameAttributes: [],
      Policies: {
        PasswordPolicy: {
          MinimumLength: d.passwordPolicy.minLength,
          RequireLowercase: d.passwordPolicy.requireLowercase,
          RequireUppercase: d.passwordPolicy.requireUppercase,
          RequireNumbers: d.passwordPolicy.requireDigits,
          RequireSymbols: d.passwordPolicy.requireSymbols,
        },
      },
    }),
  );
  const userPoolId = pool.UserPool?.Id as string;
  const client = await idp.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'ota-local-client',
      GenerateSecret: false,
      ...clientSettings(),
    }),
  );
  for (const group of d.groups) {
    await idp.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: group.name, Description: group.description }));
  }
  const admin = await createUser(idp, userPoolId, 'admin', [ADMINS_GROUP]);
  idp.destroy();
  return { userPoolId, clientId: client.UserPoolClient?.ClientId as string, admin };
}

/** Creates a confirmed user with a random password that satisfies the pool's policy. */
export async function createUser(
  idp: CognitoIdentityProviderClient,
  userPoolId: string,
  username: string,
  groups: string[] = [],
): Promise<{ username: string; password: string }> {
  const password = `Ota-${randomBytes(12).toString('base64url')}9a`;
  await idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: username, MessageAction: 'SUPPRESS' }));
  await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: password, Permanent: true }));
  for (const group of groups) {
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: group }));
  }
  return { username, password };
}

/** Signs a user in to the local pool with USER_PASSWORD_AUTH, as a CLI or CI job would. */
export async function passwordSignIn(
  cognito: { endpoint: string; clientId: string },
  username: string,
  password: string,
): Promise<{ accessToken: string; idToken: string }> {
  const idp = new CognitoIdentityProviderClient({ endpoint: cognito.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const result = await idp.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: cognito.clientId,
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
    const tokens = result.AuthenticationResult;
    if (!tokens?.AccessToken || !tokens.IdToken) throw new Error(`Cognito returned no tokens for ${username}`);
    return { accessToken: tokens.AccessToken, idToken: tokens.IdToken };
  } finally {
    idp.destroy();
  }
}
