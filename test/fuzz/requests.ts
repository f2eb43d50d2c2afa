/**
 * Turns a route of the route table into a mutated request: path parameters, query, body,
 * content type and credentials each drawn from valid values of the fixture and hostile ones.
 * Deterministic for a given generator state, so a seed reproduces a run's requests.
 */
import type { RouteDefinition } from '../../shared/http/route-definition.js';
import type { Fixture, ResourceSet } from './fixture.js';
import type { Rng } from './prng.js';
import { confusedValue, deeplyNested, encodeText, type FieldValues, hostileSegment, hostileText, sampleOf, unicodeText } from './values.js';

export interface FuzzRequest {
  /** Position in the run (the same for the same seed). */
  index: number;
  routeId: string;
  method: string;
  /** The request target exactly as sent on the request line. */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Send the body chunked, without a Content-Length. */
  chunked: boolean;
  /** What was done to the request, for the report. */
  mutations: string[];
  /** The credential sent: the token of the owner of the ids (`own`), of the other owner (`cross`), or a bad one. */
  auth: AuthKind;
  /** Path parameters that carry an id of the aimed app's owner (not a built-in name, not mutated). */
  ownedParams: string[];
  /** The target names a private app (its slug, id or name). */
  aimsAtPrivate: boolean;
  /** Whether the request carries a valid download token of the app it aims at. */
  downloadToken: 'valid' | 'none' | 'invalid';
}

export type AuthKind =
  | 'own'
  | 'cross'
  | 'api-token'
  | 'cross-api-token'
  | 'team-user'
  | 'cross-team-user'
  | 'none'
  | 'garbage'
  | 'id-token'
  | 'tampered'
  | 'scheme'
  | 'alg-none'
  | 'huge'
  | 'foreign-issuer';

/** Credentials of the owner who does not own the ids a request names. */
export const CROSS_CREDENTIALS: ReadonlySet<AuthKind> = new Set(['cross', 'cross-api-token', 'cross-team-user']);

/** Credentials an owner hands out (API tokens, team users): never enough for an owner-only route. */
export const DELEGATED_CREDENTIALS: ReadonlySet<AuthKind> = new Set(['api-token', 'cross-api-token', 'team-user', 'cross-team-user']);

/** Credentials that must never get past authentication ('scheme' variants may be valid spellings of a good token). */
export const REFUSED_CREDENTIALS: ReadonlySet<AuthKind> = new Set([
  'none',
  'garbage',
  'id-token',
  'tampered',
  'alg-none',
  'huge',
  'foreign-issuer',
]);

type Scope = 'owner' | 'foreign';
type Effect = 'read' | 'change' | 'destroy';

/** A route's effect decides which app it aims at: reads at one nobody changes, deletes at ones meant to go. */
function effectOf(route: RouteDefinition): Effect {
  if (route.method === 'DELETE' || route.path.endsWith('/delete') || renames(route)) return 'destroy';
  // Owner-only changes (team users, the admin account) can disable the credentials other requests use.
  if (route.access.kind === 'owner' && route.method !== 'GET') return 'destroy';
  return route.method === 'GET' ? 'read' : 'change';
}

/** Routes that rename what other requests find by name (catalog entries, apps): they aim at the apps meant to go, too. */
function renames(route: RouteDefinition): boolean {
  const access = route.access;
  if (access.kind !== 'caller' || access.action !== 'edit') return false;
  return access.resourceType !== 'app' || route.id === 'UpdateApp' || route.id === 'FsAppUpdate';
}

function setFor(fixture: Fixture, scope: Scope, effect: Effect, rng: Rng): ResourceSet {
  if (scope === 'foreign') return effect === 'destroy' ? fixture.foreignDisposable : fixture.foreign;
  if (effect === 'read') return rng.chance(0.25) ? fixture.private : fixture.stable;
  if (effect === 'change') return fixture.mutable;
  return rng.pick(fixture.disposable);
}

/** The ids of one release as a request names them: the published one, or the draft with its upload in progress. */
interface ReleaseRef {
  releaseId: string;
  artifactId: string;
  uploadId: string;
  fileName: string;
}

/** A UUID from the run's generator (never from the clock or the system's randomness: runs must replay). */
function uuidOf(rng: Rng): string {
  const hex = rng.bytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

const ULID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function freshUlid(rng: Rng): string {
  let id = rng.pick(['0', '1', '7']);
  for (let i = 1; i < 26; i++) id += ULID_ALPHABET[rng.int(32)];
  return id;
}

/**
 * Names of what requests create come from a small pool: after a dozen creations the rest are
 * conflicts, so the stored data (and the cost of rebuilding an owner's feeds) stays bounded.
 */
const POOL = 12;
const pooledName = (rng: Rng, prefix = 'fz') => `${prefix}${rng.int(POOL)}`;

const SEMVERS = ['0.0.1', '0.9.0', '1.0.0', '1.0.1', '2.0.0-beta.1', '10.20.30', '1.0.0+build.7', '0.0.0'];
const TARGETS = ['darwin', 'windows', 'linux', 'any'];
const ARCHS = ['aarch64', 'x86_64', 'i686', 'armv7', 'universal', 'any'];
const ELECTRON_FILES = ['latest.yml', 'latest-mac.yml', 'latest-linux.yml', 'latest-linux-arm64.yml', 'beta.yml', 'stable-mac.yml'];
const UPDATERS = ['manual', 'tauri', 'electron-builder', 'squirrel_darwin', 'squirrel_windows', 'sparkle', 'velopack', 'bogus'];
const FILE_NAMES = [
  'app.dmg',
  'app.zip',
  'setup.exe',
  'app.AppImage',
  'app.deb',
  'LICENSE',
  'latest.yml',
  'RELEASES',
  'app-1.0.0-full.nupkg',
];

/** The parts of a request that can be mutated; the others keep valid values. */
const DIMENSIONS = ['ids', 'method', 'path', 'query', 'auth', 'api-key', 'download-token', 'headers', 'body'] as const;
type Dimension = (typeof DIMENSIONS)[number];

/** Per-request draw: which app (set), which release, whose token, which parts may be mutated. */
interface Draw {
  wild: ReadonlySet<Dimension>;
  effect: Effect;
  route: RouteDefinition;
  set: ResourceSet;
  release: ReleaseRef;
  /** The username that owns `set` (faynoSync's `owner`). */
  ownerName: string;
  fixture: Fixture;
}

/** A plausible value for a path parameter, query parameter or body field by its name. */
function namedValue(draw: Draw, rng: Rng): FieldValues {
  const { set, release } = draw;
  return (name) => {
    switch (name) {
      case 'app_id':
      case 'project_id':
        return set.appId;
      case 'release_id':
        return release.releaseId;
      case 'bundle_id':
        return rng.chance(0.8) ? set.bundleId : release.releaseId;
      case 'artifact_id':
        return release.artifactId;
      case 'key_id':
        return set.keyId;
      // Built-in entries are shared by all the owner's apps: only reads name them, so no rename breaks the apps reads aim at.
      case 'channel_id':
        return draw.effect === 'read' && rng.chance(0.2) ? 'stable' : set.channelId;
      case 'platform_id':
        return draw.effect === 'read' && rng.chance(0.2) ? 'darwin' : set.platformId;
      case 'arch_id':
        return draw.effect === 'read' && rng.chance(0.2) ? 'aarch64' : set.archId;
      case 'slug':
        return set.slug;
      case 'channel':
      case 'default_channel':
        return draw.route.face === 'faynosync' ? set.channelName : rng.chance(0.75) ? 'stable' : set.channelName;
      case 'follows':
        return ['stable'];
      // Mostly what the fixture published (darwin/aarch64 natively, its own platform and arch through faynoSync).
      case 'target':
      case 'platform':
        return rng.weighted<() => string>([
          [draw.route.face === 'faynosync' ? 10 : 55, () => 'darwin'],
          [draw.route.face === 'faynosync' ? 70 : 15, () => set.platformName],
          [30, () => rng.pick(TARGETS)],
        ])();
      case 'arch':
        return rng.weighted<() => string>([
          [draw.route.face === 'faynosync' ? 10 : 55, () => 'aarch64'],
          [draw.route.face === 'faynosync' ? 70 : 15, () => set.archName],
          [30, () => rng.pick(ARCHS)],
        ])();
      case 'current_version':
      case 'version':
      case 'localVersion':
        // faynoSync's versions are dotted numbers.
        return draw.route.face === 'faynosync' ? rng.pick(['0.0.1', '0.0.9', '0.1.0', '1.0.0', '1.2.3.4']) : rng.pick(SEMVERS);
      case 'file':
        return draw.route.id === 'VelopackFeed'
          ? rng.pick(['releases.win.json', 'releases.osx.json', 'releases.linux.json', `${set.slug}-1.0.0-full.nupkg`, 'RELEASES'])
          : rng.pick(ELECTRON_FILES);
      case 'file_name':
        return rng.chance(0.85) ? release.fileName : rng.pick(FILE_NAMES);
      case 'name':
        // A rename adds nothing to store: it may take a fresh name every time (and so succeed).
        return renames(draw.route) ? `fz${rng.int(1e9)}` : pooledName(rng);
      case 'app_name':
        return set.appName;
      case 'owner':
        return draw.ownerName;
      case 'upload_id':
        return release.uploadId;
      case 'part_numbers':
        return [1, 2];
      case 'parts':
        return [{ part_number: 1, etag: rng.chance(0.7) ? set.partEtag : `"${rng.bytes(16).toString('hex')}"` }];
      case 'file_size':
        return rng.between(1, 100_000);
      case 'package':
      case 'bundle_type':
        // What the fixture's darwin/aarch64 release has, mostly.
        return rng.weighted<() => string>([
          [40, () => 'app'],
          [20, () => 'zip'],
          [40, () => rng.pick(['nsis', 'appimage', 'dmg', 'nupkg', 'none', 'msi'])],
        ])();
      case 'signature':
        return Buffer.from(`sig ${rng.int(1e9)}`).toString('base64');
      case 'ed_signature':
        return `${rng.bytes(64).toString('base64').slice(0, 86)}==`;
      case 'sha256':
        return rng.bytes(32).toString('hex');
      case 'notes':
      case 'changelog':
      case 'release_notes':
        return `notes ${rng.int(1e6)}`;
      case 'percent':
      case 'rollout_percent':
      case 'rollout':
        return rng.between(0, 100);
      case 'updaters':
        return [{ type: rng.pick(UPDATERS.slice(0, 7)), default: true }];
      case 'tauri_pubkey': {
        const key = Buffer.concat([Buffer.from('Ed'), rng.bytes(40)]);
        return Buffer.from(
          `untrusted comment: minisign public key: ${key.subarray(2, 10).toString('hex').toUpperCase()}\n${key.toString('base64')}\n`,
        ).toString('base64');
      }
      case 'key':
        return rng.weighted<() => string>([
          [60, () => `${set.fsVersionId}/${set.fsArtifactId}`],
          [20, () => `/files/${set.appId}/${set.fsVersionId}/${set.fsArtifactId}/${encodeURIComponent(set.fsFileName)}`],
          [20, () => `${set.releaseId}/${set.artifactId}`],
        ])();
      case 'id':
        return set.appId;
      case 'user_id':
        return set.teamUserId;
      case 'token_id':
        return draw.route.path.includes('download-tokens') ? set.downloadTokenId : set.apiTokenId;
      case 'username':
        return pooledName(rng, 'fzteam');
      case 'password':
        return rng.chance(0.8) ? 'Fuzz-Passw0rd!x1' : rng.pick(['password', 'x', 'Fuzz-Passw0rd!x1'.repeat(20)]);
      case 'allowed':
      case 'apps':
        return [set.appId];
      case 'cursor':
        // Only the service's own cursors are valid: a valid request sends none.
        return undefined;
      case 'updater':
        return rng.pick(UPDATERS);
      case 'limit':
        return String(rng.pick([1, 9, 50, 1000]));
      case 'page':
        return String(rng.between(1, 3));
      case 'published':
      case 'critical':
        return rng.pick(['true', 'false']);
      case 'status':
        return rng.pick(['draft', 'published', 'yanked']);
      case 'noCache':
        return String(1_790_000_000_000 + rng.int(1e9));
      case 'id_velopack':
        return set.slug;
      case 'stagingId':
        return randomId(rng);
      default:
        return undefined;
    }
  };
}

function randomId(rng: Rng): string {
  return rng.bytes(8).toString('hex');
}

// ---------------------------------------------------------------------------------------------
// Path

/** A path parameter: the fixture's value of its kind, another kind's id, a fresh id, a hostile segment or nothing. */
function pathValue(name: string, draw: Draw, rng: Rng, mutations: string[], owned: string[]): string {
  const named = namedValue(draw, rng);
  const choice = !draw.wild.has('path')
    ? 'real'
    : rng.weighted<'real' | 'hostile' | 'fresh' | 'cross-kind' | 'empty'>([
        [45, 'real'],
        [35, 'hostile'],
        [8, 'fresh'],
        [8, 'cross-kind'],
        [4, 'empty'],
      ]);
  if (choice === 'real') {
    const value = named(name);
    const text = typeof value === 'string' ? value : name.endsWith('_id') ? draw.set.appId : `fz${rng.int(1000)}`;
    if (Object.values(draw.set).includes(text)) owned.push(name);
    return encodeText(text);
  }
  mutations.push(`path.${name}:${choice}`);
  if (choice === 'hostile') return hostileSegment(rng);
  if (choice === 'fresh') return rng.chance(0.8) ? freshUlid(rng) : uuidOf(rng);
  if (choice === 'cross-kind') {
    const { set } = draw;
    return rng.pick([set.appId, set.releaseId, set.artifactId, set.channelId, set.keyId, set.bundleId, set.slug, set.fsVersionId]);
  }
  return '';
}

/** Paths for the catch-all route: unknown, traversal, absolute-form, very long, odd methods' targets. */
function defaultTarget(rng: Rng): string {
  return rng.weighted<() => string>([
    [15, () => '/nope'],
    [10, () => `/${hostileSegment(rng)}`],
    [10, () => `/api/sync/ota/${hostileSegment(rng)}/${hostileSegment(rng)}`],
    [8, () => '/api/sync/ota/apps/x/y/z/w/v'],
    [8, () => '/%2e%2e/%2e%2e/etc/passwd'],
    [6, () => '//'],
    [6, () => '/'],
    [6, () => `/${'a/'.repeat(rng.between(10, 400))}`],
    [5, () => '/feeds'],
    [5, () => '/health/'],
    [5, () => '/v1/sdk/ota/check/extra'],
    [5, () => `http://${rng.pick(['127.0.0.1', 'evil.example'])}/health`],
    [4, () => '*'],
    [4, () => `/${encodeText(unicodeText(rng, 20))}`],
    [3, () => `/${'x'.repeat(rng.pick([1000, 8000]))}`],
  ])();
}

function buildPath(draw: Draw, rng: Rng, mutations: string[], owned: string[]): string {
  if (draw.route.path === '$default') {
    const target = defaultTarget(rng);
    mutations.push('default-route');
    return target;
  }
  return draw.route.path.replace(/\{([^}]+)\}/g, (_match, name: string) => pathValue(name, draw, rng, mutations, owned));
}

// ---------------------------------------------------------------------------------------------
// Query

/** Query names a handler reads beyond the schema and the edge cache key (faynoSync's, Velopack's, electron-updater's). */
const QUERY_HINTS: Record<string, readonly string[]> = {
  FsSearch: ['app_name', 'channel', 'published', 'critical', 'platform', 'arch', 'page', 'limit'],
  FsDownload: ['key'],
  FsVersionDelete: ['id'],
  FsAppDelete: ['id'],
  FsChannelDelete: ['id'],
  FsPlatformDelete: ['id'],
  FsArchDelete: ['id'],
  VelopackFeed: ['localVersion', 'id_velopack', 'stagingId'],
  ElectronFeed: ['noCache'],
};

function schemaKeys(schema: unknown): string[] {
  const shape = (schema as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

function queryNames(route: RouteDefinition): string[] {
  const names = new Set<string>([
    ...schemaKeys(route.request?.query),
    ...(route.edgeCache ? route.edgeCache.query : []),
    ...(QUERY_HINTS[route.id] ?? []),
  ]);
  return [...names];
}

/** The real value of a faynoSync `?id=` depends on what the route deletes. */
function idFor(route: RouteDefinition, set: ResourceSet): string {
  if (route.path.startsWith('/channel/')) return set.channelId;
  if (route.path.startsWith('/platform/')) return set.platformId;
  if (route.path.startsWith('/arch/')) return set.archId;
  if (route.path.startsWith('/apps/')) return set.fsVersionId;
  return set.appId;
}

const GARBAGE_QUERIES = [
  '',
  '&&&',
  '=',
  '==',
  'a',
  '%',
  '%zz=1',
  '%00=%00',
  '__proto__[polluted]=1',
  'constructor[prototype][x]=1',
  'a[]=1&a[]=2',
  ';;;',
  '?',
  'id=1&id=2&id=3',
  'channel=%ED%A0%80',
  'version=%C0%AF',
  'x=%F0%9F%92%A9',
];

function buildQuery(draw: Draw, rng: Rng, mutations: string[]): string {
  const names = queryNames(draw.route);
  const named = namedValue(draw, rng);
  const valid = (name: string): string | undefined => {
    if (name === 'id') return idFor(draw.route, draw.set);
    const value = named(name);
    return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  };
  const wire = (name: string) => (name === 'id_velopack' ? 'id' : name);
  const pairs = (): string[] =>
    names.flatMap((n) => {
      const value = valid(n);
      return value !== undefined && rng.chance(0.92) ? [`${wire(n)}=${encodeText(value)}`] : [];
    });
  const mode = !draw.wild.has('query')
    ? names.length && rng.chance(0.9)
      ? 'valid'
      : 'none'
    : rng.weighted<'none' | 'valid' | 'hostile' | 'duplicate' | 'huge' | 'garbage'>([
        [names.length ? 10 : 30, 'none'],
        [names.length ? 25 : 10, 'valid'],
        [25, 'hostile'],
        [10, 'duplicate'],
        [10, 'huge'],
        [15, 'garbage'],
      ]);
  if (mode === 'none') return '';
  if (mode === 'valid') return pairs().join('&');
  mutations.push(`query:${mode}`);
  const some = names.length ? rng.pick(names) : rng.pick(['id', 'channel', 'version', 'q']);
  if (mode === 'hostile') {
    const value = rng.chance(0.5) ? hostileSegment(rng) : encodeText(hostileText(rng).slice(0, 2_000));
    return [...pairs().filter((p) => !p.startsWith(`${wire(some)}=`)), `${wire(some)}=${value}`].join('&');
  }
  if (mode === 'duplicate')
    return [...pairs(), `${wire(some)}=${encodeText(valid(some) ?? 'x')}`, `${wire(some)}=${hostileSegment(rng)}`].join('&');
  if (mode === 'huge') return [...pairs(), `${wire(some)}=${'q'.repeat(rng.pick([257, 1_000, 8_000]))}`].join('&');
  return rng.pick(GARBAGE_QUERIES);
}

// ---------------------------------------------------------------------------------------------
// Credentials and headers

const b64url = (text: string) => Buffer.from(text).toString('base64url');

/** Keeps only what Node lets a header value carry (no CR, LF, NUL or characters above U+00FF). */
function headerSafe(value: string): string {
  return value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '');
}

function authHeader(draw: Draw, scope: Scope, rng: Rng, mutations: string[]): { kind: AuthKind; value: string | undefined } {
  const kind = !draw.wild.has('auth')
    ? 'own'
    : rng.weighted<AuthKind>([
        [10, 'own'],
        [20, 'cross'],
        [8, 'api-token'],
        [8, 'cross-api-token'],
        [6, 'team-user'],
        [6, 'cross-team-user'],
        [16, 'none'],
        [12, 'garbage'],
        [8, 'id-token'],
        [8, 'tampered'],
        [8, 'scheme'],
        [6, 'alg-none'],
        [6, 'huge'],
        [6, 'foreign-issuer'],
      ]);
  if (kind !== 'own') mutations.push(`auth:${kind}`);
  return { kind, value: credential(kind, draw, scope, rng) };
}

function credential(kind: AuthKind, draw: Draw, scope: Scope, rng: Rng): string | undefined {
  const { owner, other } = draw.fixture;
  const own = scope === 'owner' ? owner : other;
  const cross = scope === 'owner' ? other : owner;
  const [header = '', payload = '', signature = ''] = owner.accessToken.split('.');
  switch (kind) {
    case 'own':
      return `Bearer ${own.accessToken}`;
    case 'cross':
      return `Bearer ${cross.accessToken}`;
    case 'api-token':
      return `Bearer ${draw.set.apiToken}`;
    case 'cross-api-token':
      return `Bearer ${(scope === 'owner' ? draw.fixture.foreign : draw.fixture.stable).apiToken}`;
    case 'team-user':
      return `Bearer ${draw.set.teamToken}`;
    case 'cross-team-user':
      return `Bearer ${(scope === 'owner' ? draw.fixture.foreign : draw.fixture.stable).teamToken}`;
    case 'none':
      return undefined;
    case 'garbage':
      return rng.pick([
        'Bearer ',
        'Bearer x',
        'Bearer a.b.c',
        'Bearer ...',
        `Bearer ${rng.bytes(48).toString('base64')}`,
        'Bearer null',
        'Bearer fns_x',
      ]);
    case 'id-token':
      return `Bearer ${own.idToken}`;
    case 'tampered': {
      const flipped = `${signature.slice(0, -4)}${signature.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      return rng.pick([
        `Bearer ${header}.${payload}.${flipped}`,
        `Bearer ${header}.${b64url(JSON.stringify({ ...claims, sub: 'someone-else', username: 'fuzzother' }))}.${signature}`,
        `Bearer ${header}.${b64url(JSON.stringify({ ...claims, exp: 1 }))}.${signature}`,
        `Bearer ${header}.${payload}`,
      ]);
    }
    case 'scheme':
      return rng.pick([
        `bearer ${own.accessToken}`,
        `Basic ${b64url('admin:admin')}`,
        own.accessToken,
        `Bearer  ${own.accessToken}`,
        `Bearer ${own.accessToken}, Bearer ${cross.accessToken}`,
        `Token ${own.accessToken}`,
      ]);
    case 'alg-none': {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      return `Bearer ${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}.`;
    }
    case 'huge':
      return `Bearer ${'A'.repeat(rng.pick([5_000, 12_000]))}`;
    default:
      // A well-formed JWT from another issuer, signed with a key the service does not know.
      return `Bearer ${b64url(JSON.stringify({ alg: 'RS256', kid: 'x' }))}.${b64url(
        JSON.stringify({ iss: 'https://evil.example', token_use: 'access', sub: 'x', exp: 4_102_444_800 }),
      )}.${rng.bytes(256).toString('base64url')}`;
  }
}

function apiKeyHeader(draw: Draw, rng: Rng, mutations: string[]): string | undefined {
  const wantsKey = draw.route.edgeCache !== false && draw.route.edgeCache.apiKeyHash === true;
  if (!wantsKey) {
    if (!draw.wild.has('api-key') || !rng.chance(0.3)) return undefined;
    mutations.push('x-api-key:stray');
    return rng.chance(0.5) ? draw.set.apiKey : `pk_live_${rng.bytes(32).toString('base64url')}`;
  }
  if (!draw.wild.has('api-key')) return draw.set.apiKey;
  const kind = rng.weighted<string>([
    [10, 'own'],
    [10, 'foreign'],
    [6, 'deleted'],
    [10, 'garbage'],
    [8, 'none'],
    [4, 'huge'],
    [4, 'hostile'],
  ]);
  if (kind !== 'own') mutations.push(`x-api-key:${kind}`);
  switch (kind) {
    case 'own':
      return draw.set.apiKey;
    case 'foreign':
      return draw.fixture.foreign.apiKey;
    case 'deleted':
      return rng.pick(draw.fixture.disposable).apiKey;
    case 'garbage':
      return rng.pick(['pk_live_', 'pk_live_xxxx', 'sk_live_x', '', ' ', `pk_live_${rng.bytes(32).toString('base64url')}`]);
    case 'none':
      return undefined;
    case 'huge':
      return `pk_live_${'k'.repeat(rng.pick([300, 8_000]))}`;
    default:
      return headerSafe(hostileText(rng).slice(0, 4_000));
  }
}

/**
 * The download token of a public request to a private app, the three ways clients send one
 * (`X-Download-Token`, `Authorization: Bearer dl_…`, `?token=`); a bad one when mutated.
 */
function downloadTokenOf(
  draw: Draw,
  rng: Rng,
  mutations: string[],
): { kind: FuzzRequest['downloadToken']; header?: [string, string]; query?: string } {
  const wild = draw.wild.has('download-token');
  if (draw.route.access.kind !== 'public' || (!draw.set.private && !(wild && rng.chance(0.3)))) return { kind: 'none' };
  const kind = !wild
    ? 'valid'
    : rng.weighted<string>([
        [10, 'valid'],
        [25, 'none'],
        [15, 'revoked'],
        [15, 'other-app'],
        [15, 'garbage'],
        [10, 'huge'],
        [10, 'hostile'],
      ]);
  if (kind === 'none') {
    mutations.push('download-token:none');
    return { kind: 'none' };
  }
  if (kind !== 'valid') mutations.push(`download-token:${kind}`);
  const value =
    kind === 'valid'
      ? draw.set.downloadToken
      : kind === 'revoked'
        ? draw.set.revokedDownloadToken
        : kind === 'other-app'
          ? draw.fixture.stable.downloadToken
          : kind === 'garbage'
            ? rng.pick(['dl_', 'dl_x', `dl_${rng.bytes(32).toString('base64url')}`, 'x'])
            : kind === 'huge'
              ? `dl_${'t'.repeat(rng.pick([300, 6_000]))}`
              : headerSafe(hostileText(rng).slice(0, 500));
  const verdict = kind === 'valid' ? 'valid' : 'invalid';
  const carrier = rng.pick(['header', 'bearer', 'query']);
  if (carrier === 'query') return { kind: verdict, query: `token=${encodeText(value)}` };
  return { kind: verdict, header: carrier === 'header' ? ['x-download-token', value] : ['authorization', `Bearer ${value}`] };
}

/** Other headers a client may send: device ids, a forged rollout bucket or origin secret, odd Accept and Host. */
function extraHeaders(draw: Draw, rng: Rng, headers: Record<string, string>, mutations: string[]): void {
  if (!draw.wild.has('headers')) return;
  const name = rng.pick([
    'x-device-id',
    'x-user-staging-id',
    'x-ota-bucket',
    'x-ota-origin-verify',
    'accept',
    'x-forwarded-for',
    'host',
    'origin',
  ]);
  const value = rng.weighted<() => string>([
    [30, () => uuidOf(rng)],
    [20, () => rng.pick(['-1', '100', '99', 'NaN', '1e3', '', 'abc', '0x10'])],
    [20, () => headerSafe(hostileText(rng).slice(0, 2_000))],
    [10, () => 'x'.repeat(rng.pick([1_000, 8_000]))],
    [20, () => rng.pick(['application/xml', '*/*', 'text/html', 'evil.example', 'http://evil.example'])],
  ])();
  headers[name] = value;
  mutations.push(`header:${name}`);
}

// ---------------------------------------------------------------------------------------------
// Bodies

interface FormPart {
  name?: string;
  filename?: string;
  contentType?: string;
  data: Buffer | string;
}

/** Routes that take multipart/form-data (faynoSync's `data` + files, Koolbase's bundle upload). */
const MULTIPART_ROUTES = new Set(['FsAppCreate', 'FsAppUpdate', 'FsUpload', 'FsVersionUpdate', 'FsArtifactDelete', 'KoolbaseUpload']);

function isMultipartRoute(route: RouteDefinition): boolean {
  return MULTIPART_ROUTES.has(route.id) || route.bodyLimit !== undefined;
}

/** The JSON a caller would send to a route: hand-written for the faces that parse their own bodies, else from the route's schema. */
function jsonTemplate(draw: Draw, rng: Rng): unknown {
  const { route, set } = draw;
  const named = namedValue(draw, rng);
  const kind = /^Fs(Channel|Platform|Arch)(Create|Update)$/.exec(route.id);
  if (kind) {
    const field = (kind[1] as string).toLowerCase();
    const id = field === 'channel' ? set.channelId : field === 'platform' ? set.platformId : set.archId;
    return {
      ...(kind[2] === 'Update' ? { id } : {}),
      [field]: kind[2] === 'Update' ? `fz${rng.int(1e9)}` : pooledName(rng),
      ...(field === 'platform' && rng.chance(0.5) ? { updaters: named('updaters') } : {}),
    };
  }
  switch (route.id) {
    case 'FsSignUp':
      return {
        username: pooledName(rng, 'fzuser'),
        password: rng.pick(['Fuzz-Passw0rd!x', 'password', 'x']),
        api_key: rng.chance(0.5) ? (draw.fixture.signupKey ?? 'x') : 'wrong-key',
      };
    case 'FsLogin': {
      const who = rng.pick([draw.fixture.owner, draw.fixture.other]);
      return { username: rng.chance(0.8) ? who.username : pooledName(rng, 'fzuser'), password: rng.chance(0.6) ? who.password : 'wrong' };
    }
    case 'FsUploadPresign':
      return {
        ...faynoVersionData(draw, rng),
        files: [{ name: rng.pick(FILE_NAMES), size: rng.between(1, 50_000_000), ...(rng.chance(0.3) ? { sha256: named('sha256') } : {}) }],
      };
    case 'FsUserCreate':
      return {
        username: pooledName(rng, 'fzteam'),
        password: named('password'),
        permissions: { apps: { create: rng.chance(0.5), upload: true, allowed: [set.appId] } },
      };
    case 'FsUserUpdate':
      return {
        id: set.teamUserId,
        ...(rng.chance(0.5) ? { password: named('password') } : {}),
        permissions: { apps: { edit: true, allowed: [set.appId] }, channels: { create: rng.chance(0.5) } },
      };
    case 'FsUserDelete':
      return { id: set.teamUserId };
    case 'FsTokenCreate':
      return {
        name: pooledName(rng, 'fztoken'),
        allowed_apps: [set.appId],
        ...(rng.chance(0.5) ? { expires_at: '2031-01-01T00:00:00Z' } : {}),
      };
    case 'FsTokenDelete':
      return { id: set.apiTokenId };
    case 'FsUploadConfirm':
      return { id: rng.chance(0.6) ? set.fsVersionId : freshUlid(rng), publish: rng.chance(0.5) };
    case 'SetSlug':
      return { slug: pooledName(rng, 'fz-slug-') };
    default:
      if (route.request?.body) return sampleOf(route.request.body, rng, named);
      return { name: pooledName(rng), id: set.appId };
  }
}

function faynoVersionData(draw: Draw, rng: Rng): Record<string, unknown> {
  const { set } = draw;
  return {
    app_name: set.appName,
    version: `0.1.${rng.int(POOL)}`,
    channel: set.channelName,
    platform: set.platformName,
    arch: set.archName,
    publish: rng.chance(0.5),
    critical: rng.chance(0.2),
    changelog: `fuzz ${rng.int(1e6)}`,
    ...(rng.chance(0.3) ? { updater: rng.pick(UPDATERS) } : {}),
  };
}

/** The form a caller would send to a multipart route: a `data` JSON field (faynoSync) or fields (Koolbase), and files. */
function formTemplate(
  draw: Draw,
  rng: Rng,
): { data: Record<string, unknown> | undefined; fields: Record<string, string>; files: FormPart[] } {
  const { route, set } = draw;
  const file = (name: string): FormPart => ({ name: 'file', filename: name, data: rng.bytes(rng.between(1, 2_000)) });
  switch (route.id) {
    case 'FsAppCreate':
      return {
        data: { app: pooledName(rng), description: 'fuzz', private: rng.pick(['true', 'false']), tuf: 'false' },
        fields: {},
        files: rng.chance(0.3) ? [file('logo.png')] : [],
      };
    case 'FsAppUpdate':
      return { data: { id: set.appId, app: rng.chance(0.5) ? set.appName : pooledName(rng), description: 'x' }, fields: {}, files: [] };
    case 'FsUpload':
      return { data: faynoVersionData(draw, rng), fields: {}, files: [file(rng.pick(FILE_NAMES))] };
    case 'FsVersionUpdate':
      return {
        data: { ...faynoVersionData(draw, rng), id: set.fsVersionId, version: '0.0.9' },
        fields: {},
        files: rng.chance(0.3) ? [file(rng.pick(FILE_NAMES))] : [],
      };
    case 'FsArtifactDelete':
      return {
        data: { id: set.fsVersionId, app_name: set.appName, version: '0.0.9', artifacts_to_delete: [String(rng.int(3))] },
        fields: {},
        files: [],
      };
    case 'KoolbaseUpload':
      return {
        data: undefined,
        fields: { channel: rng.pick(['stable', set.channelName]), mandatory: rng.pick(['true', 'false']), release_notes: 'fuzz' },
        files: [{ name: 'bundle', filename: 'bundle.zip', contentType: 'application/zip', data: rng.bytes(rng.between(1, 4_000)) }],
      };
    default:
      return { data: {}, fields: {}, files: [file('file.bin')] };
  }
}

function encodeForm(parts: FormPart[], boundary: string, newline = '\r\n'): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}${newline}`;
    if (part.name !== undefined) {
      head += `Content-Disposition: form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ''}${newline}`;
    }
    if (part.contentType) head += `Content-Type: ${part.contentType}${newline}`;
    chunks.push(
      Buffer.from(`${head}${newline}`, 'utf8'),
      Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data, 'utf8'),
      Buffer.from(newline),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--${newline}`));
  return Buffer.concat(chunks);
}

interface Body {
  body?: Buffer;
  contentType?: string;
  contentEncoding?: string;
}

const WRONG_CONTENT_TYPES = [
  undefined,
  'text/plain',
  'application/xml',
  'application/octet-stream',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  'application/vnd.api+json',
  ';;;=',
  'image/png',
];

const NOT_JSON = [
  '{',
  '}',
  'null',
  'true',
  '0',
  '"text"',
  '[]',
  '[{}]',
  'NaN',
  '{"a":1}{"b":2}',
  '{"name":"x",}',
  "{'name':'x'}",
  '\ufeff{"name":"x"}',
  '<xml/>',
  'a=1&b=2',
  '{"name":"\\ud800"}',
  '{"name":"\\u0000"}',
  '{"__proto__":{"isAdmin":true},"name":"x"}',
  '{"constructor":{"prototype":{"isAdmin":true}},"name":"x"}',
  '{"name":1e999}',
  `${'{"a":'.repeat(3)}}`,
];

function jsonBodyOf(draw: Draw, rng: Rng, mutations: string[]): Body {
  const template = jsonTemplate(draw, rng);
  const wild = draw.wild.has('body');
  const mode = !wild
    ? 'valid'
    : rng.weighted<string>([
        [10, 'valid'],
        [22, 'confused'],
        [18, 'hostile-strings'],
        [12, 'missing-extra'],
        [6, 'deep'],
        [6, 'huge'],
        [16, 'not-json'],
        [5, 'multipart'],
        [5, 'empty'],
      ]);
  if (mode !== 'valid') mutations.push(`body:${mode}`);
  let text: string | Buffer;
  switch (mode) {
    case 'valid':
      text = JSON.stringify(template);
      break;
    case 'confused':
      text = JSON.stringify(mutateFields(template, rng, () => confusedValue(rng)));
      break;
    case 'hostile-strings':
      text = JSON.stringify(mutateFields(template, rng, () => hostileText(rng)));
      break;
    case 'missing-extra': {
      const object = isObject(template) ? { ...template } : {};
      for (const key of Object.keys(object)) if (rng.chance(0.5)) delete object[key];
      const extra = JSON.stringify(object).slice(1);
      text = `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"extra":${JSON.stringify(confusedValue(rng))}${extra === '}' ? '}' : `,${extra}`}`;
      break;
    }
    case 'deep':
      text = deeplyNested(rng, rng.pick([100, 1_000, 5_000, 15_000, 30_000]));
      break;
    case 'huge': {
      const size = rng.weighted<number>([
        [50, 70 * 1024],
        [30, 1024 * 1024],
        [15, 5 * 1024 * 1024],
        [5, 11 * 1024 * 1024],
      ]);
      mutations.push(`size:${size}`);
      text = `{"name":"${'x'.repeat(size)}"}`;
      break;
    }
    case 'not-json':
      text = rng.chance(0.8)
        ? rng.pick(NOT_JSON)
        : rng.chance(0.5)
          ? rng.bytes(rng.between(1, 500))
          : Buffer.from(JSON.stringify(template), 'utf16le');
      break;
    case 'multipart': {
      const boundary = `fz${rng.int(1e9)}`;
      return {
        body: encodeForm([{ name: 'data', data: JSON.stringify(template) }], boundary),
        contentType: `multipart/form-data; boundary=${boundary}`,
      };
    }
    default:
      text = '';
  }
  const contentType = !wild || rng.chance(0.7) ? 'application/json' : rng.pick(WRONG_CONTENT_TYPES);
  if (contentType !== 'application/json') mutations.push(`content-type:${contentType ?? 'none'}`);
  const contentEncoding = wild && rng.chance(0.04) ? rng.pick(['gzip', 'br', 'identity']) : undefined;
  if (contentEncoding) mutations.push(`content-encoding:${contentEncoding}`);
  return {
    body: Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'),
    ...(contentType ? { contentType } : {}),
    ...(contentEncoding ? { contentEncoding } : {}),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Replaces one to three fields (or the whole value when it is not an object) with `replacement()`. */
function mutateFields(template: unknown, rng: Rng, replacement: () => unknown): unknown {
  if (!isObject(template) || rng.chance(0.1)) return replacement();
  const out: Record<string, unknown> = { ...template };
  const keys = Object.keys(out);
  const count = rng.between(1, 3);
  for (let i = 0; i < count; i++) out[keys.length && rng.chance(0.85) ? rng.pick(keys) : rng.pick(['id', 'name', 'x'])] = replacement();
  return out;
}

function multipartBodyOf(draw: Draw, rng: Rng, mutations: string[]): Body {
  const template = formTemplate(draw, rng);
  const boundary = `----fz${rng.bytes(8).toString('hex')}`;
  const mode = !draw.wild.has('body')
    ? 'valid'
    : rng.weighted<string>([
        [10, 'valid'],
        [20, 'hostile-fields'],
        [17, 'confused-data'],
        [32, 'broken'],
        [6, 'json'],
        [6, 'huge'],
        [4, 'empty'],
        [5, 'chunked-huge'],
      ]);
  if (mode !== 'valid') mutations.push(`form:${mode}`);
  let data = template.data;
  const fields = { ...template.fields };
  let files = [...template.files];
  if (mode === 'hostile-fields') {
    if (data) data = mutateFields(data, rng, () => hostileText(rng)) as Record<string, unknown>;
    for (const name of Object.keys(fields)) if (rng.chance(0.6)) fields[name] = hostileText(rng);
    files = files.map((f) => ({
      ...f,
      filename: rng.pick(['../../etc/passwd', '..\\..\\x.exe', 'a\u0000b.zip', '', unicodeText(rng, 10), 'x'.repeat(300), '.', '..']),
    }));
  }
  if (mode === 'confused-data' && data) data = mutateFields(data, rng, () => confusedValue(rng)) as Record<string, unknown>;
  if (mode === 'json') {
    return { body: Buffer.from(JSON.stringify(data ?? fields)), contentType: 'application/json' };
  }
  if (mode === 'empty') return { contentType: `multipart/form-data; boundary=${boundary}` };
  const parts: FormPart[] = [
    ...(data !== undefined ? [{ name: 'data', data: JSON.stringify(data) }] : []),
    ...Object.entries(fields).map(([name, value]) => ({ name, data: value })),
    ...files,
  ];
  if (mode === 'huge' || mode === 'chunked-huge') {
    const size = rng.pick([65 * 1024, 3 * 1024 * 1024, 5 * 1024 * 1024]);
    mutations.push(`size:${size}`);
    parts.push(
      rng.chance(0.5) ? { name: 'file', filename: 'big.zip', data: Buffer.alloc(size, 7) } : { name: 'data', data: 'd'.repeat(size) },
    );
  }
  if (mode !== 'broken') return { body: encodeForm(parts, boundary), contentType: `multipart/form-data; boundary=${boundary}` };
  const broken = rng.pick([
    'no-boundary',
    'wrong-boundary',
    'truncated',
    'no-end',
    'no-disposition',
    'no-name',
    'many-files',
    'huge-field',
    'duplicate-data',
    'lf-only',
    'long-boundary',
    'garbage',
  ]);
  mutations.push(`broken:${broken}`);
  const full = encodeForm(parts, boundary);
  switch (broken) {
    case 'no-boundary':
      return { body: full, contentType: 'multipart/form-data' };
    case 'wrong-boundary':
      return { body: full, contentType: 'multipart/form-data; boundary=other' };
    case 'truncated':
      return { body: full.subarray(0, rng.int(full.length)), contentType: `multipart/form-data; boundary=${boundary}` };
    case 'no-end':
      return { body: full.subarray(0, full.length - boundary.length - 6), contentType: `multipart/form-data; boundary=${boundary}` };
    case 'no-disposition':
      return { body: encodeForm([{ data: 'x' }, ...parts], boundary), contentType: `multipart/form-data; boundary=${boundary}` };
    case 'no-name': {
      const nameless = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; filename="x.zip"\r\n\r\nabc\r\n`);
      return { body: Buffer.concat([nameless, full]), contentType: `multipart/form-data; boundary=${boundary}` };
    }
    case 'many-files': {
      const many = Array.from({ length: 25 }, (_, i) => ({ name: 'file', filename: `f${i}.zip`, data: Buffer.from([i]) }));
      return { body: encodeForm([...parts, ...many], boundary), contentType: `multipart/form-data; boundary=${boundary}` };
    }
    case 'huge-field':
      return {
        body: encodeForm([{ name: 'data', data: `{"app_name":"${'n'.repeat(70_000)}"}` }, ...parts], boundary),
        contentType: `multipart/form-data; boundary=${boundary}`,
      };
    case 'duplicate-data':
      return {
        body: encodeForm([...parts, { name: 'data', data: '{nope' }], boundary),
        contentType: `multipart/form-data; boundary=${boundary}`,
      };
    case 'lf-only':
      return { body: encodeForm(parts, boundary, '\n'), contentType: `multipart/form-data; boundary=${boundary}` };
    case 'long-boundary': {
      const long = 'b'.repeat(200);
      return { body: encodeForm(parts, long), contentType: `multipart/form-data; boundary=${long}` };
    }
    default:
      return { body: rng.bytes(rng.between(1, 3_000)), contentType: `multipart/form-data; boundary=${boundary}` };
  }
}

/** Deletes that name what they delete in a JSON body (faynoSync's team users and tokens). */
const DELETES_WITH_BODY = new Set(['FsUserDelete', 'FsTokenDelete']);

function buildBody(draw: Draw, rng: Rng, mutations: string[]): Body {
  const method = draw.route.method;
  const expectsBody = method === 'POST' || method === 'PUT' || method === 'PATCH' || DELETES_WITH_BODY.has(draw.route.id);
  const wild = draw.wild.has('body');
  if (!expectsBody && !(wild && rng.chance(0.3))) return {};
  if (!expectsBody) mutations.push(`body-on-${method}`);
  if (expectsBody && wild && rng.chance(0.06)) {
    mutations.push('body:none');
    return {};
  }
  return isMultipartRoute(draw.route) ? multipartBodyOf(draw, rng, mutations) : jsonBodyOf(draw, rng, mutations);
}

// ---------------------------------------------------------------------------------------------

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];
/** Methods no route of an id-bearing path answers with a change, so a changed method never edits the app reads aim at. */
const HARMLESS_METHODS = ['OPTIONS', 'HEAD', 'PROPFIND', 'TRACE'];

/** The order routes are fuzzed in: every route once per round, each round shuffled, so any prefix is spread evenly. */
export function routeOrder(routes: readonly RouteDefinition[], total: number, rng: Rng): RouteDefinition[] {
  const order: RouteDefinition[] = [];
  while (order.length < total) {
    const round = [...routes];
    for (let i = round.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [round[i], round[j]] = [round[j] as RouteDefinition, round[i] as RouteDefinition];
    }
    order.push(...round);
  }
  return order.slice(0, total);
}

/** One mutated request for `route`. */
export function generateRequest(index: number, route: RouteDefinition, fixture: Fixture, rng: Rng): FuzzRequest {
  const mutations: string[] = [];
  // Most requests change one part or none, so they get past validation and reach the code behind it.
  const intensity = rng.weighted<'none' | 'one' | 'all'>([
    [12, 'none'],
    [48, 'one'],
    [40, 'all'],
  ]);
  const wild = new Set<Dimension>(intensity === 'all' ? DIMENSIONS : intensity === 'one' ? [rng.pick(DIMENSIONS)] : []);
  const effect = effectOf(route);
  const scope: Scope = wild.has('ids') && rng.chance(0.5) ? 'foreign' : 'owner';
  if (scope === 'foreign') mutations.push('ids:other-owner');
  const set = setFor(fixture, scope, effect, rng);
  const inUpload = /\/(parts|complete|abort)$/.test(route.path);
  const draft = inUpload ? rng.chance(0.9) : rng.chance(0.2);
  // Links by app id are the ones faynoSync's answers hand out: aim them at its version.
  const release: ReleaseRef = draft
    ? { releaseId: set.draftReleaseId, artifactId: set.draftArtifactId, uploadId: set.uploadId, fileName: set.fileName }
    : route.path.startsWith('/files/') && rng.chance(0.8)
      ? { releaseId: set.fsVersionId, artifactId: set.fsArtifactId, uploadId: set.uploadId, fileName: set.fsFileName }
      : { releaseId: set.releaseId, artifactId: set.artifactId, uploadId: set.uploadId, fileName: set.fileName };
  const draw: Draw = {
    wild,
    effect,
    route,
    set,
    release,
    ownerName: scope === 'owner' ? fixture.owner.username : fixture.other.username,
    fixture,
  };

  let method = route.method as string;
  if (route.path === '$default') method = rng.pick(METHODS);
  else if (wild.has('method') && rng.chance(0.3)) method = rng.pick(HARMLESS_METHODS);
  if (method !== route.method) mutations.push(`method:${method}`);
  const ownedParams: string[] = [];
  const path = buildPath(draw, rng, mutations, ownedParams);
  const query = buildQuery(draw, rng, mutations);
  const headers: Record<string, string> = {};
  const auth = authHeader(draw, scope, rng, mutations);
  if (auth.value !== undefined) headers.authorization = auth.value;
  const apiKey = apiKeyHeader(draw, rng, mutations);
  if (apiKey !== undefined) headers['x-api-key'] = apiKey;
  const download = downloadTokenOf(draw, rng, mutations);
  if (download.header) headers[download.header[0]] = download.header[1];
  extraHeaders(draw, rng, headers, mutations);
  const body = buildBody(draw, rng, mutations);
  if (body.contentType) headers['content-type'] = body.contentType;
  if (body.contentEncoding) headers['content-encoding'] = body.contentEncoding;
  const chunked = body.body !== undefined && (mutations.includes('form:chunked-huge') || (wild.has('body') && rng.chance(0.08)));
  if (chunked) mutations.push('chunked');
  const fullQuery = [query, download.query].filter(Boolean).join('&');
  const target = fullQuery === '' && !(wild.has('query') && rng.chance(0.1)) ? path : `${path}?${fullQuery}`;
  const aimsAtPrivate = set.private && [set.slug, set.appId, encodeText(set.appName)].some((name) => target.includes(name));
  return {
    index,
    routeId: route.id,
    method,
    target,
    headers,
    ...(body.body ? { body: body.body } : {}),
    chunked,
    mutations,
    auth: auth.kind,
    ownedParams,
    aimsAtPrivate,
    downloadToken: download.kind,
  };
}
