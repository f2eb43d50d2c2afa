import assert from 'node:assert/strict';
import { createSign, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { before, describe, it } from 'node:test';
import { TOKEN_ACTIONS } from '../../shared/domain/permissions.js';
import type { RouteDefinition } from '../../shared/http/route-definition.js';
import { ROUTES } from '../../shared/routes.js';
import { type Reply, useLocalService } from '../support/local-service.js';

/**
 * The route × role matrix: every route of the route table, called by every kind of caller, gets
 * the answer the one authorization decision owes that caller. A route without an entry in MATRIX
 * fails the suite: adding a route means saying what it names.
 *
 * Outcomes: 401 (not authenticated), 403 (authenticated, not allowed), 404 (another account's
 * resource: as if it did not exist), `pass` (the decision let it through: anything but 401/403;
 * a 400 for a body read after the decision, or a 404/409 for a sub-resource, is a pass).
 * Allowed callers send bodies that fail validation where the route has a schema, so the matrix
 * changes nothing; routes that name a resource in the body send real ones.
 */

type Kind = 'app' | 'channel' | 'platform' | 'arch';

interface Ids {
  app: string;
  appName: string;
  otherApp: string;
  release: string;
  artifact: string;
  channel: string;
  platform: string;
  arch: string;
  fileKey: string;
  slug: string;
  /** Per deleting route, one app to delete per caller that may delete it (a team user's and a token's are in their lists). */
  victims: Record<string, Record<'team' | 'token' | 'owner', string>>;
}

interface Call {
  path?: string;
  query?: string;
  json?: unknown;
  raw?: string;
  multipart?: { data: unknown; files?: { name: string; bytes: Buffer }[] };
  /** Name a release that does not exist (the decision is on the app; the release is a 404 after it). */
  release?: boolean;
}

interface Entry {
  /** The resource of the caller's account the request names (in its path, query or body); `none` for the account itself. */
  names: Kind | 'none';
  /** The request; `role` picks the victim of deletes. */
  call: (ids: Ids, role: RoleName) => Call | Promise<Call>;
}

/** Not JSON object: a route with a body schema answers 400 after the decision, and changes nothing. */
const INVALID: Call = { raw: '[]' };
const fromPath = (names: Entry['names'], call: (ids: Ids, role: RoleName) => Call = () => INVALID): Entry => ({ names, call });
const account = (call: (ids: Ids, role: RoleName) => Call = () => INVALID): Entry => ({ names: 'none', call });
const json = (body: unknown): Call => ({ json: body });

let versionCounter = 0;
const nextVersion = () => `0.9.${++versionCounter}`;
const file = (name: string) => ({ name, bytes: randomBytes(32) });

const MATRIX: Record<string, Entry | 'public'> = {
  Health: 'public',
  NotFound: 'public',
  OpenApi: 'public',
  CheckUpdate: 'public',
  ReportInstall: 'public',
  DownloadArtifact: 'public',
  LatestDownload: 'public',
  TauriStaticFeed: 'public',
  ElectronFeed: 'public',
  SquirrelMacFeed: 'public',
  SparkleFeed: 'public',
  SquirrelWindowsFeed: 'public',
  VelopackFeed: 'public',
  DownloadFile: 'public',
  DownloadAppFile: 'public',
  FsSignUp: 'public',
  FsLogin: 'public',
  CreateSession: 'public',
  RefreshSession: 'public',
  FaynoCheckVersion: 'public',
  FsTelemetryBeacon: 'public',
  FaynoAppsLatest: 'public',
  KoolbaseCheck: 'public',

  CreateChannel: account(),
  ListChannels: account(() => ({})),
  UpdateChannel: fromPath('channel'),
  DeleteChannel: fromPath('channel', () => ({})), // in use by the release: 409 for whoever may try
  CreatePlatform: account(),
  ListPlatforms: account(() => ({})),
  UpdatePlatform: fromPath('platform'),
  DeletePlatform: fromPath('platform', () => ({})),
  CreateArch: account(),
  ListArchs: account(() => ({})),
  UpdateArch: fromPath('arch'),
  DeleteArch: fromPath('arch', () => ({})),
  CreateApp: account(),
  ListApps: account(() => ({})),
  GetApp: fromPath('app', () => ({})),
  GetAppStats: fromPath('app', () => ({})),
  UpdateApp: fromPath('app'),
  DeleteApp: fromPath('app', (ids, role) => ({ path: `/api/sync/ota/apps/${victim(ids, role, 'DeleteApp')}` })),
  SetSlug: fromPath('app'),
  CreateRelease: fromPath('app'),
  ListReleases: fromPath('app', () => ({})),
  GetRelease: fromPath('app', () => ({})),
  UpdateRelease: fromPath('app'),
  DeleteRelease: fromPath('app', () => ({ release: true })), // a release id that does not exist: 404 after the decision
  PublishRelease: fromPath('app'),
  YankRelease: fromPath('app', () => ({ release: true })),
  SetRollout: fromPath('app'),
  ReleaseInstalls: fromPath('app', () => ({})),
  PromoteRelease: fromPath('app'),
  RollbackChannel: fromPath('app'),
  CreateDevicePin: fromPath('app'),
  ListDevicePins: fromPath('app', () => ({})),
  DeleteDevicePin: fromPath('app', (ids) => ({ path: `/api/sync/ota/apps/${ids.app}/pins/0123456789abcdef` })), // no such pin: 404 after the decision
  CreateArtifactUpload: fromPath('app'),
  UploadParts: fromPath('app'),
  CompleteUpload: fromPath('app'),
  AbortUpload: fromPath('app'),
  GetArtifact: fromPath('app', () => ({})),
  DeleteArtifact: fromPath('app', () => ({ release: true })),
  CreateDownloadToken: fromPath('app'),
  ListDownloadTokens: fromPath('app', () => ({})),
  RevokeDownloadToken: fromPath('app', () => ({})),
  CreateWebhook: fromPath('app'),
  ListWebhooks: fromPath('app', () => ({})),
  DeleteWebhook: fromPath('app', () => ({})), // a webhook id that does not exist: 404 after the decision
  ListWebhookDeliveries: fromPath('app', () => ({})),

  CreateTeamUser: account(),
  ListTeamUsers: account(() => ({})),
  UpdateTeamUser: account(),
  DeleteTeamUser: account(() => ({})),
  WhoAmI: account(() => ({})),
  CreateApiToken: account(),
  ListApiTokens: account(() => ({})),
  RevokeApiToken: account(() => ({})),
  ListAuditEvents: account(() => ({})),
  GetJob: account(() => ({})),

  FsAppCreate: account(() => ({ multipart: { data: { app: '' } } })),
  FsAppList: account(() => ({})),
  FsAppUpdate: { names: 'app', call: (ids) => ({ multipart: { data: { id: ids.app, app: ids.appName } } }) },
  FsAppDelete: { names: 'app', call: (ids, role) => ({ query: `id=${victim(ids, role, 'FsAppDelete')}` }) },
  FsChannelCreate: account(() => json({})),
  FsChannelList: account(() => ({})),
  FsChannelUpdate: { names: 'channel', call: (ids) => json({ id: ids.channel, channel: 'mchannel' }) },
  FsChannelDelete: { names: 'channel', call: (ids) => ({ query: `id=${ids.channel}` }) },
  FsPlatformCreate: account(() => json({})),
  FsPlatformList: account(() => ({})),
  FsPlatformUpdate: {
    names: 'platform',
    call: (ids) => json({ id: ids.platform, platform: 'mplatform', updaters: [{ type: 'manual', default: true }] }),
  },
  FsPlatformDelete: { names: 'platform', call: (ids) => ({ query: `id=${ids.platform}` }) },
  FsArchCreate: account(() => json({})),
  FsArchList: account(() => ({})),
  FsArchUpdate: { names: 'arch', call: (ids) => json({ id: ids.arch, arch: 'march' }) },
  FsArchDelete: { names: 'arch', call: (ids) => ({ query: `id=${ids.arch}` }) },
  FsUpload: {
    names: 'app',
    call: (ids) => ({
      multipart: {
        data: { app_name: ids.appName, version: nextVersion(), channel: 'mchannel', platform: 'mplatform', arch: 'march' },
        files: [file('m.dmg')],
      },
    }),
  },
  FsUploadPresign: {
    names: 'app',
    call: (ids) =>
      json({
        app_name: ids.appName,
        version: nextVersion(),
        channel: 'mchannel',
        platform: 'mplatform',
        arch: 'march',
        files: [{ name: 'm.dmg', size: 32 }],
      }),
  },
  FsUploadConfirm: { names: 'app', call: (ids) => json({ id: ids.release }) },
  FsVersionUpdate: {
    names: 'app',
    call: (ids) => ({
      multipart: { data: { id: ids.release, app_name: ids.appName, version: '1.0.0', channel: 'mchannel', publish: true } },
    }),
  },
  FsVersionDelete: { names: 'app', call: async (ids) => ({ query: `id=${await freshVersion(ids)}` }) },
  FsArtifactDelete: {
    names: 'app',
    call: async (ids) => ({ multipart: { data: { id: await freshVersion(ids), app_name: ids.appName, files: [0] } } }),
  },
  FsSearch: { names: 'app', call: (ids) => ({ query: `app_name=${ids.appName}` }) },
  FsDownload: { names: 'app', call: (ids) => ({ query: `key=${encodeURIComponent(ids.fileKey)}` }) },
  FsUserCreate: account(() => json({})),
  FsUserUpdate: account(() => json({})),
  FsUsersList: account(() => ({})),
  FsUserDelete: account(() => json({})),
  FsWhoAmI: account(() => ({})),
  FsTelemetry: account(() => ({})),
  FsAdminUpdate: account(() => json({})),
  FsTokenCreate: account(() => json({})),
  FsTokenList: account(() => ({})),
  FsTokenDelete: account(() => json({ id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' })),

  KoolbaseUpload: fromPath('app', () => ({ multipart: { data: {} } })),
  KoolbaseRequestUpload: fromPath('app'),
  KoolbaseCompleteUpload: fromPath('app', () => ({})),
  KoolbaseListBundles: fromPath('app', () => ({})),
  KoolbaseActivateBundle: fromPath('app', () => ({})),
  KoolbaseUpdateBundle: fromPath('app'),
  KoolbaseDeleteBundle: fromPath('app', () => ({})),
  KoolbaseCreateKey: fromPath('app'),
  KoolbaseListKeys: fromPath('app', () => ({})),
  KoolbaseRotateKey: fromPath('app'),
  KoolbaseDeleteKey: fromPath('app', () => ({})),
};

/** Callers whose every request is refused before any decision: 401 (a download token: except where the route admits one). */
type Unauthenticated =
  | 'anonymous'
  | 'malformed'
  | 'tampered'
  | 'expired'
  | 'idToken'
  | 'revokedToken'
  | 'expiredToken'
  | 'disabledUser'
  | 'deletedUser'
  | 'downloadToken';

/**
 * Authenticated callers. Team users: `teamNone` (no flag, empty lists), `teamMissing` (every flag but
 * the route's own, full lists), `teamFlags` (every flag, empty lists), `teamFull` (every flag, full lists).
 * API tokens: `tokenIn` (every action on the app), `tokenOut` (every action on another app),
 * `tokenRead` (only reading the app).
 */
type RoleName =
  | Unauthenticated
  | 'otherOwner'
  | 'teamNone'
  | 'teamMissing'
  | 'teamFlags'
  | 'tokenOut'
  | 'tokenRead'
  | 'teamFull'
  | 'tokenIn'
  | 'owner';

const UNAUTHENTICATED: Unauthenticated[] = [
  'anonymous',
  'malformed',
  'tampered',
  'expired',
  'idToken',
  'revokedToken',
  'expiredToken',
  'disabledUser',
  'deletedUser',
  'downloadToken',
];
/** Refused callers first, allowed ones last: an allowed delete happens after every refusal has been seen. */
const AUTHENTICATED: RoleName[] = [
  'otherOwner',
  'teamNone',
  'teamMissing',
  'teamFlags',
  'tokenOut',
  'tokenRead',
  'teamFull',
  'tokenIn',
  'owner',
];

const DELETING_APPS = ['DeleteApp', 'FsAppDelete'];

function victim(ids: Ids, role: RoleName, routeId: string): string {
  const victims = ids.victims[routeId] as Record<'team' | 'token' | 'owner', string>;
  if (role === 'teamFull') return victims.team;
  if (role === 'tokenIn') return victims.token;
  return victims.owner;
}

let freshVersion: (ids: Ids) => Promise<string>;

type Outcome = 'pass' | 401 | 403 | 404;

/** The flag a team user needs for a route, `undefined` for routes every team user may call. */
function flagOf(route: RouteDefinition): string | undefined {
  const access = route.access;
  if (access.kind !== 'caller') return undefined;
  if (access.resourceType === 'token') return 'tokens';
  if (access.action === 'read') return undefined;
  return `${access.resourceType}.${access.action}`;
}

/** What the one decision owes `role` on `route`. */
function expected(route: RouteDefinition, entry: Entry, role: RoleName): Outcome {
  const access = route.access;
  // A private app's download token (X-Download-Token, no caller credential) opens only routes that declare it.
  if (role === 'downloadToken') return access.kind === 'caller' && access.orDownloadToken ? 'pass' : 401;
  if ((UNAUTHENTICATED as string[]).includes(role)) return 401;
  if (role === 'owner') return 'pass';
  if (role === 'otherOwner') return entry.names === 'none' ? 'pass' : 404;
  if (access.kind === 'signed-in') return 'pass';
  if (access.kind === 'owner') return 403;
  if (access.kind !== 'caller') throw new Error(`${route.id}: public routes are not in the role loop`);
  const namesOwnType = entry.names !== 'none' && entry.names === access.resourceType;
  switch (role) {
    case 'teamNone':
      return flagOf(route) || namesOwnType ? 403 : 'pass';
    case 'teamMissing':
      return flagOf(route) ? 403 : 'pass';
    case 'teamFlags':
      return namesOwnType ? 403 : 'pass';
    case 'teamFull':
      return 'pass';
    case 'tokenIn':
    case 'tokenOut':
    case 'tokenRead': {
      const actions = role === 'tokenRead' ? ['read'] : TOKEN_ACTIONS;
      if (access.resourceType !== 'app' || !actions.includes(access.action)) return 403;
      return entry.names === 'app' && role === 'tokenOut' ? 403 : 'pass';
    }
  }
  throw new Error(`no expectation for ${role}`);
}

function concrete(path: string, ids: Ids, call: Call): string {
  if (call.path) return call.path;
  const values: Record<string, string> = {
    app_id: ids.app,
    project_id: ids.app,
    release_id: call.release ? '01ARZ3NDEKTSV4RRFFQ69G5FAV' : ids.release,
    artifact_id: ids.artifact,
    channel_id: ids.channel,
    platform_id: ids.platform,
    arch_id: ids.arch,
    user_id: randomUUID(),
  };
  return path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '01ARZ3NDEKTSV4RRFFQ69G5FAV');
}

/** An RS256 JWT signed with the emulator's own key (public in its package): a real token, except for what the test changes. */
function signedLike(token: string, changes: Record<string, unknown>): string {
  const [header, payload] = token.split('.') as [string, string];
  const claims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), ...changes };
  const body = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const keyFile = createRequire(import.meta.url).resolve('cognito-local/lib/keys/cognitoLocal.private.json');
  const { pem } = JSON.parse(readFileSync(keyFile, 'utf8')) as { pem: string };
  return `${body}.${createSign('RSA-SHA256').update(body).sign(pem).toString('base64url')}`;
}

describe('route × role matrix', () => {
  const fixture = useLocalService();
  const ids = {} as Ids;
  const headers = {} as Record<RoleName, Record<string, string>>;
  const missingFlag = new Map<string, string>();

  const send = async (route: RouteDefinition, call: Call, auth: Record<string, string>): Promise<Reply> => {
    const path = concrete(route.path === '$default' ? '/no-such-path' : route.path, ids, call) + (call.query ? `?${call.query}` : '');
    const url = `${fixture.service.url}${path}`;
    let body: string | Buffer | undefined;
    const h: Record<string, string> = { ...auth };
    if (call.multipart) {
      const form = new FormData();
      form.append('data', JSON.stringify(call.multipart.data));
      for (const f of call.multipart.files ?? []) form.append('file', new Blob([f.bytes]), f.name);
      const encoded = new Request('http://x', { method: 'POST', body: form });
      body = Buffer.from(await encoded.arrayBuffer());
      h['content-type'] = encoded.headers.get('content-type') ?? '';
    } else if (call.json !== undefined || call.raw !== undefined) {
      body = call.raw ?? JSON.stringify(call.json);
      h['content-type'] = 'application/json';
    }
    const response = await fetch(url, { method: route.method, headers: h, body, redirect: 'manual' });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: undefined };
  };

  const api = (token: string, method: string, path: string, body?: unknown) =>
    fixture.service.request(method, `/api/sync/ota${path}`, { token, ...(body === undefined ? {} : { body }) });

  async function teamUser(name: string, permissions: unknown, tokens: boolean): Promise<{ id: string; token: string }> {
    const password = `Matrix-${randomBytes(6).toString('hex')}-1a`;
    const created = await api(fixture.token, 'POST', '/team/users', { username: name, password, permissions, tokens });
    assert.equal(created.status, 201, created.text);
    return { id: created.json.id, token: (await fixture.service.signIn(name, password)).accessToken };
  }

  async function apiToken(apps: string[], actions: readonly string[], expiresAt?: string): Promise<{ id: string; token: string }> {
    const created = await api(fixture.token, 'POST', '/tokens', {
      name: 'matrix',
      apps,
      actions,
      ...(expiresAt ? { expires_at: expiresAt } : {}),
    });
    assert.equal(created.status, 201, created.text);
    return { id: created.json.id, token: created.json.token };
  }

  before(async () => {
    const owner = fixture.token;
    const other = await fixture.service.newAccountToken('matrix-other-owner');
    const fsJson = (path: string, body: unknown) => fixture.service.request('POST', path, { token: owner, body });
    const app = await api(owner, 'POST', '/apps', { name: 'matrixapp' });
    ids.app = app.json.id;
    ids.appName = 'matrixapp';
    ids.slug = 'matrix-app';
    assert.equal((await api(owner, 'PUT', `/apps/${ids.app}/slug`, { slug: ids.slug })).status, 200);
    ids.otherApp = (await api(owner, 'POST', '/apps', { name: 'matrix-outside' })).json.id;
    ids.victims = {};
    for (const routeId of DELETING_APPS) {
      const make = async (who: string) => (await api(owner, 'POST', '/apps', { name: `victim-${routeId}-${who}` })).json.id as string;
      ids.victims[routeId] = { team: await make('team'), token: await make('token'), owner: await make('owner') };
    }
    // The other owner has catalog entries of the same names, so its requests reach the app lookup.
    for (const [kind, name] of [
      ['channel', 'mchannel'],
      ['platform', 'mplatform'],
      ['arch', 'march'],
    ] as const)
      assert.equal((await fixture.service.request('POST', `/${kind}/create`, { token: other, body: { [kind]: name } })).status, 200);
    ids.channel = (await fsJson('/channel/create', { channel: 'mchannel' })).json['createChannelResult.Created'];
    ids.platform = (await fsJson('/platform/create', { platform: 'mplatform' })).json['createPlatformResult.Created'];
    ids.arch = (await fsJson('/arch/create', { arch: 'march' })).json['createArchResult.Created'];

    const upload = async (version: string): Promise<string> => {
      const route = ROUTES.find((r) => r.id === 'FsUpload') as RouteDefinition;
      const reply = await send(
        route,
        {
          multipart: {
            data: { app_name: ids.appName, version, channel: 'mchannel', platform: 'mplatform', arch: 'march', publish: true },
            files: [file('matrix.dmg')],
          },
        },
        { authorization: `Bearer ${owner}` },
      );
      assert.equal(reply.status, 200, reply.text);
      return JSON.parse(reply.text)['uploadResult.Uploaded'];
    };
    ids.release = await upload('1.0.0');
    freshVersion = () => upload(nextVersion());
    const search = await fixture.service.request('GET', `/search?app_name=${ids.appName}`, { token: owner });
    ids.fileKey = search.json.items[0].Artifacts[0].link;
    const release = await api(owner, 'GET', `/apps/${ids.app}/releases/${ids.release}`);
    assert.equal(release.status, 200, release.text);
    ids.artifact = release.json.artifacts[0].id;

    const all = { create: true, delete: true, edit: true };
    const allFlags = (allowed: (k: Kind) => string[]) => ({
      apps: { ...all, download: true, upload: true, allowed: allowed('app') },
      channels: { ...all, allowed: allowed('channel') },
      platforms: { ...all, allowed: allowed('platform') },
      archs: { ...all, allowed: allowed('arch') },
    });
    const full = (k: Kind): string[] =>
      ({
        app: [ids.app, ...DELETING_APPS.map((r) => ids.victims[r]?.team as string)],
        channel: [ids.channel],
        platform: [ids.platform],
        arch: [ids.arch],
      })[k];
    const none = () => [];
    const signedIn = (token: string) => ({ authorization: `Bearer ${token}` });

    headers.owner = signedIn(owner);
    headers.otherOwner = signedIn(other);
    headers.teamNone = signedIn((await teamUser('matrix-none', {}, false)).token);
    headers.teamFlags = signedIn((await teamUser('matrix-flags', allFlags(none), true)).token);
    headers.teamFull = signedIn((await teamUser('matrix-full', allFlags(full), true)).token);
    // One team user per flag, with every other flag and full lists.
    const flags = new Set(ROUTES.map(flagOf).filter((f): f is string => f !== undefined));
    for (const flag of flags) {
      const permissions = allFlags(full) as Record<string, Record<string, unknown>>;
      let tokens = true;
      if (flag === 'tokens') tokens = false;
      else {
        const [type, action] = flag.split('.') as [Kind, string];
        const block = permissions[`${type}s`] as Record<string, unknown>;
        block[action] = false;
      }
      missingFlag.set(flag, (await teamUser(`matrix-no-${flag.replace('.', '-')}`, permissions, tokens)).token);
    }
    const disabled = await teamUser('matrix-disabled', allFlags(full), true);
    assert.equal((await api(owner, 'PATCH', `/team/users/${disabled.id}`, { disabled: true })).status, 200);
    const deleted = await teamUser('matrix-deleted', allFlags(full), true);
    assert.equal((await api(owner, 'DELETE', `/team/users/${deleted.id}`)).status, 204);

    headers.tokenIn = signedIn(
      (await apiToken([ids.app, ...DELETING_APPS.map((r) => ids.victims[r]?.token as string)], TOKEN_ACTIONS)).token,
    );
    headers.tokenOut = signedIn((await apiToken([ids.otherApp], TOKEN_ACTIONS)).token);
    headers.tokenRead = signedIn((await apiToken([ids.app], ['read'])).token);
    const revoked = await apiToken([ids.app], TOKEN_ACTIONS);
    assert.equal((await api(owner, 'DELETE', `/tokens/${revoked.id}`)).status, 204);
    const expiring = await apiToken([ids.app], TOKEN_ACTIONS, new Date(Date.now() + 1_000).toISOString());

    const { idToken } = await fixture.service.signIn(fixture.service.stack.info.admin.username, fixture.service.stack.info.admin.password);
    const [h, p, sig] = owner.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    headers.anonymous = {};
    headers.malformed = { authorization: 'Bearer not.a.jwt' };
    headers.tampered = {
      authorization: `Bearer ${h}.${Buffer.from(JSON.stringify({ ...claims, sub: randomUUID() })).toString('base64url')}.${sig}`,
    };
    headers.expired = { authorization: `Bearer ${signedLike(owner, { exp: Math.floor(Date.now() / 1000) - 60 })}` };
    headers.idToken = signedIn(idToken);
    headers.revokedToken = signedIn(revoked.token);
    headers.expiredToken = signedIn(expiring.token);
    headers.disabledUser = signedIn(disabled.token);
    headers.deletedUser = signedIn(deleted.token);
    const download = await api(owner, 'POST', `/apps/${ids.app}/download-tokens`, { name: 'matrix' });
    assert.equal(download.status, 201, download.text);
    headers.downloadToken = { 'x-download-token': download.json.token };
    // The forged expiry is the only thing wrong with it: the same signing with a future expiry is accepted.
    const fresh = signedLike(owner, { exp: Math.floor(Date.now() / 1000) + 600 });
    assert.equal((await api(fresh, 'GET', '/apps')).status, 200, 'a re-signed token with a valid expiry is accepted');
  });

  it('has an entry for every route of the route table', () => {
    const missing = ROUTES.map((r) => r.id).filter((id) => !(id in MATRIX));
    assert.deepEqual(missing, [], 'add these routes to MATRIX (what they name) in test/integration/access-matrix.test.ts');
    const stale = Object.keys(MATRIX).filter((id) => !ROUTES.some((r) => r.id === id));
    assert.deepEqual(stale, []);
  });

  it('public routes answer without credentials and ignore any sent', async () => {
    for (const route of ROUTES.filter((r) => MATRIX[r.id] === 'public')) {
      assert.equal(route.access.kind, 'public', route.id);
      for (const auth of [headers.anonymous, headers.malformed, headers.owner]) {
        const reply = await send(route, {}, auth);
        // Sign-up is refused without the deployer's key, the Koolbase check without an SDK key: their own credentials, not a bearer.
        if (route.id !== 'FsSignUp' && route.id !== 'KoolbaseCheck')
          assert.ok(![401, 403].includes(reply.status), `${route.id}: ${reply.status} ${reply.text}`);
        assert.ok(reply.status < 500, `${route.id}: ${reply.status} ${reply.text}`);
      }
    }
  });

  it('every signed-in route answers each caller as the decision owes it', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // the expiring API token is now expired
    const failures: string[] = [];
    let checked = 0;
    for (const route of ROUTES.filter((r) => r.access.kind !== 'public')) {
      const entry = MATRIX[route.id];
      assert.ok(entry && entry !== 'public', `${route.id} has a signed-in entry`);
      for (const role of [...UNAUTHENTICATED, ...AUTHENTICATED]) {
        const flag = flagOf(route);
        if (role === 'teamMissing' && !flag) continue;
        const auth = role === 'teamMissing' ? { authorization: `Bearer ${missingFlag.get(flag as string)}` } : headers[role];
        const want = expected(route, entry, role);
        const reply = await send(route, await entry.call(ids, role), auth);
        checked++;
        const ok = want === 'pass' ? ![401, 403].includes(reply.status) && reply.status < 500 : reply.status === want;
        if (!ok) failures.push(`${route.id} as ${role}: wanted ${want}, got ${reply.status} ${reply.text.slice(0, 160)}`);
      }
    }
    assert.deepEqual(failures, [], `${failures.length} of ${checked} cells differ`);
    assert.ok(checked > 1_500, `${checked} cells`);
  });
});
