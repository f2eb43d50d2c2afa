import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { authenticate, type Credentials } from '../../shared/auth/authenticate.js';
import { authorize, permitRoute, visible } from '../../shared/auth/authorize.js';
import { auditRetentionDays } from '../../shared/auth/credentials.js';
import { ENV } from '../../shared/config/env.js';
import type { Access, ResourceReader } from '../../shared/domain/access.js';
import { apiTokenHash } from '../../shared/domain/api-token.js';
import { type Caller, TEAM_GROUP } from '../../shared/domain/caller.js';
import { DomainError } from '../../shared/domain/errors.js';
import type { App } from '../../shared/domain/model.js';
import { NO_PERMISSIONS, type Permissions } from '../../shared/domain/permissions.js';
import { TeamService } from '../../shared/services/team-service.js';
import type { ApiTokenRecord, ApiTokenRepository } from '../../shared/storage/api-token-repository.js';
import type { TeamMember, TeamRepository } from '../../shared/storage/team-repository.js';

const OWNER = 'owner-sub';
const APP = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const OTHER_APP = '01ARZ3NDEKTSV4RRFFQ69G5FAW';
const TOKEN = `ota_${'a'.repeat(64)}`;

async function refusal(promise: Promise<unknown>): Promise<{ kind: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DomainError, String(error));
    return { kind: error.kind, message: error.message };
  }
  assert.fail('expected a refusal');
}

function credentials(over: Partial<Credentials> & { groups?: string[] } = {}): Credentials & { touched: number } {
  const state = { touched: 0 };
  return Object.assign(state, {
    verifyAccessToken: async () => ({ sub: 'user-sub', username: 'alice', groups: over.groups ?? [] }),
    member: async () => undefined,
    apiToken: async () => undefined,
    touch: async () => {
      state.touched++;
    },
    ...over,
  });
}

const member = (changes: Partial<TeamMember> = {}): TeamMember => ({
  id: 'user-sub',
  username: 'alice',
  ownerId: OWNER,
  ownerName: 'admin',
  permissions: NO_PERMISSIONS,
  tokens: false,
  disabled: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...changes,
});

const token = (changes: Partial<ApiTokenRecord> = {}): ApiTokenRecord => ({
  id: '01ARZ3NDEKTSV4RRFFQ69G5FAX',
  hash: apiTokenHash(TOKEN),
  prefix: TOKEN.slice(0, 12),
  name: 'ci',
  ownerId: OWNER,
  createdBy: OWNER,
  apps: [APP],
  actions: ['upload'],
  createdAt: '2026-01-01T00:00:00.000Z',
  ...changes,
});

describe('authentication', () => {
  it("refuses a missing or malformed header with faynoSync's words", async () => {
    assert.deepEqual(await refusal(authenticate(undefined, credentials())), {
      kind: 'unauthorized',
      message: 'missing authorization header',
    });
    for (const header of ['Token abc', 'Bearer', 'Bearer a b'])
      assert.equal((await refusal(authenticate(header, credentials()))).message, 'invalid token format', header);
  });

  it('takes a Cognito user outside the team group for the owner of its own account, with no read', async () => {
    let reads = 0;
    const caller = await authenticate(
      'Bearer jwt',
      credentials({
        member: async () => {
          reads++;
          return undefined;
        },
      }),
    );
    assert.deepEqual(caller, { kind: 'owner', ownerId: 'user-sub', ownerName: 'alice', userId: 'user-sub', username: 'alice' });
    assert.equal(reads, 0);
  });

  it("reads a team user's record on every request: gone is 401, disabled is 401, else its owner's account", async () => {
    const groups = [TEAM_GROUP];
    assert.equal((await refusal(authenticate('Bearer jwt', credentials({ groups })))).message, 'User not found');
    const disabled = credentials({ groups, member: async () => member({ disabled: true }) });
    assert.equal((await refusal(authenticate('Bearer jwt', disabled))).message, 'User is disabled');
    const caller = await authenticate('Bearer jwt', credentials({ groups, member: async () => member() }));
    assert.equal(caller.kind, 'team');
    assert.equal(caller.ownerId, OWNER);
    assert.equal(caller.ownerName, 'admin');
  });

  it('finds an API token by its hash only; unknown and expired tokens are 401; a use is recorded', async () => {
    const seen: string[] = [];
    const creds = credentials({
      apiToken: async (hash) => {
        seen.push(hash);
        return hash === apiTokenHash(TOKEN) ? token() : undefined;
      },
    });
    const caller = await authenticate(`Bearer ${TOKEN}`, creds);
    assert.deepEqual(seen, [apiTokenHash(TOKEN)]);
    assert.equal(caller.kind, 'token');
    assert.equal(creds.touched, 1);
    assert.equal((await refusal(authenticate(`Bearer fns_${'b'.repeat(64)}`, creds))).message, 'invalid or expired token');
    const expired = credentials({ apiToken: async () => token({ expiresAt: '2026-01-01T00:00:00.000Z' }) });
    assert.equal((await refusal(authenticate(`Bearer ${TOKEN}`, expired, new Date('2026-01-01T00:00:01Z')))).message, 'token expired');
  });
});

describe('the authorization decision', () => {
  const app = { id: APP, ownerId: OWNER } as App;
  const reader: ResourceReader = {
    app: async (id) => (id === APP ? app : id === OTHER_APP ? ({ id, ownerId: 'someone-else' } as App) : undefined),
    catalogEntry: async () => undefined,
  };
  type SignedIn = Exclude<Access, { kind: 'public' }>;
  const onApp = (action: 'read' | 'edit' | 'upload' | 'delete' | 'create'): SignedIn => ({
    kind: 'caller',
    resourceType: 'app',
    action,
    resource: { type: 'app', param: 'app_id' },
  });
  const owner: Caller = { kind: 'owner', ownerId: OWNER, userId: OWNER, username: 'admin' };
  const team = (permissions: Permissions, tokens = false): Caller => ({
    kind: 'team',
    ownerId: OWNER,
    userId: 'u',
    username: 'alice',
    permissions,
    tokens,
  });
  const apiToken = (apps: string[], actions: ('read' | 'upload' | 'edit')[]): Caller => ({
    kind: 'token',
    ownerId: OWNER,
    userId: 'token:x',
    username: 'ci',
    tokenId: 'x',
    scope: { apps, actions },
  });
  const decide = (caller: Caller, access: SignedIn, id = APP) => authorize(caller, access, { app_id: id }, reader);

  it("hides another account's app from everyone (404) and lets the owner act", async () => {
    assert.equal((await decide(owner, onApp('delete'))).app?.id, APP);
    assert.equal((await refusal(decide(owner, onApp('read'), OTHER_APP))).kind, 'not_found');
    assert.equal((await refusal(decide(apiToken([OTHER_APP], ['read']), onApp('read'), OTHER_APP))).kind, 'not_found');
    // Even a caller who may not take the action at all: 404 first, as for an id that exists nowhere.
    assert.equal((await refusal(decide(apiToken([], ['read']), onApp('delete'), OTHER_APP))).kind, 'not_found');
    assert.equal((await refusal(decide(team(NO_PERMISSIONS), onApp('delete'), OTHER_APP))).kind, 'not_found');
  });

  it("gives a team user exactly its flags, on exactly its allowed list, with faynoSync's words", async () => {
    const editor = { ...NO_PERMISSIONS, apps: { ...NO_PERMISSIONS.apps, edit: true, allowed: [APP] } };
    assert.equal((await decide(team(editor), onApp('edit'))).app?.id, APP);
    assert.deepEqual(await refusal(decide(team(editor), onApp('delete'))), { kind: 'forbidden', message: 'Permission denied' });
    const elsewhere = { ...editor, apps: { ...editor.apps, allowed: [] } };
    assert.match((await refusal(decide(team(elsewhere), onApp('edit')))).message, /not in your allowed apps list/);
    assert.equal((await refusal(decide(team(elsewhere), onApp('read')))).kind, 'forbidden');
    assert.throws(() => permitRoute(team(editor), { kind: 'owner' }), /Admin access required/);
    assert.doesNotThrow(() => permitRoute(team(NO_PERMISSIONS), { kind: 'signed-in' }));
    const tokenRoute: SignedIn = { kind: 'caller', resourceType: 'token', action: 'create', resource: { type: 'account' } };
    assert.throws(() => permitRoute(team(editor), tokenRoute), /Permission denied/);
    assert.doesNotThrow(() => permitRoute(team(editor, true), tokenRoute));
  });

  it("keeps an API token to its apps and actions, off catalogs, apps' creation and owner routes", async () => {
    const ci = apiToken([APP], ['upload']);
    assert.equal((await decide(ci, onApp('upload'))).app?.id, APP);
    assert.deepEqual(await refusal(decide(ci, onApp('edit'))), { kind: 'forbidden', message: 'API tokens are restricted to app upload' });
    assert.throws(() => permitRoute(apiToken([APP], ['upload', 'read']), onApp('create')), /may only upload to, read its apps/);
    const channels: SignedIn = { kind: 'caller', resourceType: 'channel', action: 'read', resource: { type: 'account' } };
    assert.throws(() => permitRoute(apiToken([APP], ['read']), channels), DomainError);
    assert.throws(() => permitRoute(ci, { kind: 'owner' }), /Admin JWT is required/);
    const elsewhere = { ...app, id: '01ARZ3NDEKTSV4RRFFQ69G5FAY' };
    const wider: ResourceReader = { ...reader, app: async (id) => (id === elsewhere.id ? elsewhere : reader.app(id)) };
    const refused = await refusal(authorize(ci, onApp('upload'), { app_id: elsewhere.id }, wider));
    assert.deepEqual(refused, { kind: 'forbidden', message: 'api token has no access to this app' });
  });

  it('shows each caller only what it may see in lists', () => {
    const lister = team({ ...NO_PERMISSIONS, channels: { ...NO_PERMISSIONS.channels, allowed: ['ch'] } });
    assert.equal(visible(lister, 'channel', 'ch'), true);
    assert.equal(visible(lister, 'channel', 'other'), false);
    assert.equal(visible(lister, 'app', APP), false);
    assert.equal(visible(owner, 'arch', 'anything'), true);
    assert.equal(visible(apiToken([APP], ['read']), 'app', APP), true);
    assert.equal(visible(apiToken([APP], ['read']), 'channel', 'ch'), false);
  });
});

describe('the audit retention setting', () => {
  it('is the deployer’s whole number of days, else 90', () => {
    const before = process.env[ENV.auditRetentionDays];
    try {
      for (const [value, days] of [
        ['365', 365],
        [undefined, 90],
        ['', 90],
        ['0', 90],
        ['1.5', 90],
        ['x', 90],
      ] as const) {
        if (value === undefined) delete process.env[ENV.auditRetentionDays];
        else process.env[ENV.auditRetentionDays] = value;
        assert.equal(auditRetentionDays(), days, String(value));
      }
    } finally {
      if (before === undefined) delete process.env[ENV.auditRetentionDays];
      else process.env[ENV.auditRetentionDays] = before;
    }
  });
});

describe("a password change signs the user out everywhere (faynoSync's /admin/update, a team user's new password)", () => {
  const owner: Caller = { kind: 'owner', ownerId: 'o-1', ownerName: 'admin', userId: 'o-1', username: 'admin' };
  /** A Cognito client that records the commands it is sent; `refuse` names a command to fail as cognito-local does. */
  const idp = (refuse?: string) => {
    const sent: string[] = [];
    const client = {
      send: async (command: { constructor: { name: string } }) => {
        const name = command.constructor.name;
        sent.push(name);
        if (name === refuse) throw Object.assign(new Error('Unsupported x-amz-target header'), { name: 'Unsupported' });
        return {};
      },
    } as unknown as CognitoIdentityProviderClient;
    return { client, sent };
  };
  const service = (client: CognitoIdentityProviderClient, local = false) =>
    new TeamService(client, 'pool', {} as TeamRepository, {} as ApiTokenRepository, undefined, local);

  it('sets the password, then revokes every session of the user', async () => {
    const { client, sent } = idp();
    await service(client).setOwnPassword(owner, 'A-new-password-123!');
    assert.deepEqual(sent, ['AdminSetUserPasswordCommand', 'AdminUserGlobalSignOutCommand']);
  });

  it('fails rather than leave old sessions open in the cloud; only cognito-local, which lacks the call, skips it', async () => {
    const cloud = idp('AdminUserGlobalSignOutCommand');
    await assert.rejects(service(cloud.client).setOwnPassword(owner, 'A-new-password-123!'), /Unsupported/);
    const local = idp('AdminUserGlobalSignOutCommand');
    await service(local.client, true).setOwnPassword(owner, 'A-new-password-123!');
    assert.deepEqual(local.sent, ['AdminSetUserPasswordCommand', 'AdminUserGlobalSignOutCommand']);
  });
});
