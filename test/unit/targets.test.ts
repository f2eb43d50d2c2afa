import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Arch, builtinEntries, type Channel, type Platform, requireCanonical } from '../../shared/domain/catalog.js';
import { buildFaynoView } from '../../shared/domain/fayno-view.js';
import type { FeedFile, PlatformFeed } from '../../shared/domain/feed.js';
import { buildAppFeeds } from '../../shared/domain/feed-builder.js';
import type { App, Artifact, Release } from '../../shared/domain/model.js';
import { archTarget, cpuOf, osOf, platformTarget, targetOf } from '../../shared/domain/targets.js';
import { checkVersion } from '../../shared/faces/faynosync/check.js';
import { signedOnly } from '../../shared/services/update-check.js';
import { releaseRecord, T0 } from '../support/records.js';

const NOW = new Date('2026-06-01T00:00:00.000Z');
const app: App = { id: 'APP', name: 'app', ownerId: 'O', defaultChannelId: 'stable', createdAt: T0, updatedAt: T0 };

const builtins = builtinEntries('O', T0);
const custom = <T extends Platform | Arch>(entry: Omit<T, 'ownerId' | 'builtin' | 'explicit' | 'refs' | 'createdAt' | 'updatedAt'>): T =>
  ({ ownerId: 'O', builtin: false, explicit: true, refs: 1, createdAt: T0, updatedAt: T0, ...entry }) as T;
const catalog = {
  channels: builtins.filter((e): e is Channel => e.kind === 'channel'),
  platforms: [
    ...builtins.filter((e): e is Platform => e.kind === 'platform'),
    custom<Platform>({ id: 'P-MACOS', kind: 'platform', name: 'macos', updaters: [{ type: 'manual', default: true }] }),
    custom<Platform>({
      id: 'P-MACINTEL',
      kind: 'platform',
      name: 'mac-intel',
      canonical: 'darwin',
      updaters: [{ type: 'manual', default: true }],
    }),
  ],
  archs: [
    ...builtins.filter((e): e is Arch => e.kind === 'arch'),
    custom<Arch>({ id: 'A-AMD64', kind: 'arch', name: 'amd64' }),
    custom<Arch>({ id: 'A-ARM64', kind: 'arch', name: 'arm64' }),
    custom<Arch>({ id: 'A-UNIVERSAL', kind: 'arch', name: 'universal' }),
  ],
};

const release = releaseRecord;

function artifact(r: Release, platformId: string, archId: string, pkg: string, signature: string | null = 'c2ln'): Artifact {
  return {
    id: `A${r.version}-${platformId}-${archId}-${pkg}`,
    appId: 'APP',
    releaseId: r.id,
    platformId,
    archId,
    package: pkg,
    declaredSize: 10,
    status: 'ready',
    attemptId: 'AT',
    uploadExpiresAt: T0,
    objectKey: `ota/APP/${r.id}/${platformId}-${archId}.${pkg}`,
    size: 10,
    sha256: 'ab'.repeat(32),
    sha512: 'cd'.repeat(64),
    createdAt: T0,
    ...(signature ? { signature } : {}),
  };
}

function feed(feeds: PlatformFeed[], platform: string, arch: string): PlatformFeed {
  const found = feeds.find((f) => f.channel === 'stable' && f.platform === platform && f.arch === arch);
  assert.ok(found, `a ${platform}/${arch} feed`);
  return found;
}

describe('targets: one OS and arch vocabulary', () => {
  it('maps every client’s words to one canonical OS and architecture', () => {
    for (const word of ['darwin', 'mac', 'macOS', 'osx']) assert.equal(osOf(word), 'darwin', word);
    for (const word of ['windows', 'win', 'win32', 'Windows']) assert.equal(osOf(word), 'windows', word);
    for (const word of ['x86_64', 'amd64', 'x64', 'AMD64']) assert.equal(cpuOf(word), 'x86_64', word);
    for (const word of ['aarch64', 'arm64']) assert.equal(cpuOf(word), 'aarch64', word);
    for (const word of ['i686', '386', 'ia32', 'x86']) assert.equal(cpuOf(word), 'i686', word);
    for (const word of ['armv7', 'armv7l']) assert.equal(cpuOf(word), 'armv7', word);
    // A word no client uses addresses an entry of that name (a target of its own).
    assert.equal(platformTarget('ubuntu'), 'ubuntu');
    assert.equal(archTarget('sparc'), 'sparc');
    assert.equal(targetOf({ kind: 'platform', name: 'mac-intel', canonical: 'darwin' }), 'darwin');
  });

  it('accepts a declared canonical identity only from the vocabulary of its kind', () => {
    assert.equal(requireCanonical('platform', 'darwin'), 'darwin');
    assert.equal(requireCanonical('arch', 'universal'), 'universal');
    assert.equal(requireCanonical('arch', 'amd64'), 'x86_64', 'a client’s word is stored as its canonical name');
    assert.throws(() => requireCanonical('platform', 'x86_64'), /must be one of linux, darwin/);
    assert.throws(() => requireCanonical('arch', 'sparc'), /must be one of x86_64/);
  });

  it('builds one feed per target: faynoSync’s amd64 and arm64, custom macOS entries and built-ins meet', () => {
    const r1 = release('1.0.0');
    const r2 = release('2.0.0');
    const { feeds } = buildAppFeeds(
      app,
      catalog,
      [r1, r2],
      [
        artifact(r1, 'linux', 'x86_64', 'appimage'),
        artifact(r2, 'linux', 'A-AMD64', 'appimage'),
        artifact(r2, 'P-MACOS', 'A-ARM64', 'zip'),
        artifact(r2, 'P-MACINTEL', 'A-AMD64', 'zip'),
      ],
      NOW,
    );
    assert.deepEqual(
      feed(feeds, 'linux', 'x86_64').releases.map((r) => r.version),
      ['2.0.0'],
    );
    assert.equal(feed(feeds, 'darwin', 'aarch64').releases[0]?.version, '2.0.0');
    assert.equal(feed(feeds, 'darwin', 'x86_64').releases[0]?.version, '2.0.0');
    assert.ok(!feeds.some((f) => ['amd64', 'arm64', 'macos', 'mac-intel'].includes(f.platform) || ['amd64', 'arm64'].includes(f.arch)));
  });

  it('offers a universal macOS build to both Mac archs where a release has no build of their own', () => {
    const r = release('3.0.0');
    const { feeds } = buildAppFeeds(
      app,
      catalog,
      [r],
      [artifact(r, 'darwin', 'A-UNIVERSAL', 'zip'), artifact(r, 'darwin', 'aarch64', 'zip')],
      NOW,
    );
    const intel = feed(feeds, 'darwin', 'x86_64').releases[0]?.files as FeedFile[];
    assert.deepEqual(
      intel.map((f) => [f.artifactId, f.arch]),
      [['A3.0.0-darwin-A-UNIVERSAL-zip', 'universal']],
    );
    const arm = feed(feeds, 'darwin', 'aarch64').releases[0]?.files as FeedFile[];
    assert.deepEqual(
      arm.map((f) => f.artifactId),
      ['A3.0.0-darwin-aarch64-zip'],
      'a build of its own wins',
    );
  });

  it('never offers an unsigned file to a Tauri client: the newest signed release instead', () => {
    const r1 = release('1.0.0');
    const r2 = release('2.0.0');
    const { feeds } = buildAppFeeds(
      app,
      catalog,
      [r1, r2],
      [artifact(r1, 'linux', 'x86_64', 'appimage'), artifact(r2, 'linux', 'x86_64', 'appimage', null)],
      NOW,
    );
    const all = feed(feeds, 'linux', 'x86_64');
    assert.deepEqual(
      all.releases.map((r) => r.version),
      ['2.0.0', '1.0.0'],
    );
    assert.deepEqual(
      signedOnly(all).releases.map((r) => r.version),
      ['1.0.0'],
    );
  });

  it('says critical on /checkVersion when the client skips a critical version, as the native check does', () => {
    const r1 = release('1.0.0', { critical: true });
    const r2 = release('1.1.0', { critical: true });
    const r3 = release('1.2.0');
    const view = buildFaynoView(
      app,
      catalog,
      [r1, r2, r3],
      [r1, r2, r3].map((r) => artifact(r, 'P-MACOS', 'A-ARM64', 'zip')),
      NOW,
    );
    const check = (version: string) => {
      const outcome = checkVersion(view, { appName: 'app', version, platform: 'macos', arch: 'arm64' }, 'https://u', NOW);
      assert.equal(outcome.kind, 'json');
      return outcome.kind === 'json' ? outcome.body : {};
    };
    assert.equal(check('1.0.5').critical, true, '1.1.0 is skipped');
    assert.equal(check('1.1.0').critical, false, 'nothing critical is skipped');
    assert.equal(check('1.1.0').update_available, true);
  });
});
