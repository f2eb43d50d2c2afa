import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinEntries, type Channel, channelClosure } from '../../shared/domain/catalog.js';
import { checkFeed, nextScheduledChange, type PlatformFeed, pickFile } from '../../shared/domain/feed.js';
import { buildAppFeeds, type FeedCatalog } from '../../shared/domain/feed-builder.js';
import type { App, Artifact, Release } from '../../shared/domain/model.js';
import { releaseRecord, T0 } from '../support/records.js';

const NOW = new Date('2026-06-01T00:00:00.000Z');
const app: App = { id: 'APP', name: 'App', ownerId: 'O', defaultChannelId: 'stable', createdAt: T0, updatedAt: T0 };

function catalog(extraChannels: Partial<Channel>[] = []): FeedCatalog {
  const builtins = builtinEntries('O', T0);
  const channels = builtins.filter((e): e is Channel => e.kind === 'channel');
  for (const extra of extraChannels) {
    channels.push({ ...(channels[0] as Channel), builtin: false, follows: [], allowPrerelease: true, ...extra } as Channel);
  }
  return {
    channels,
    platforms: builtins.filter((e) => e.kind === 'platform') as FeedCatalog['platforms'],
    archs: builtins.filter((e) => e.kind === 'arch') as FeedCatalog['archs'],
  };
}

function release(version: string, changes: Partial<Release> = {}): Release {
  return releaseRecord(version, { notes: `notes ${version}`, ...changes });
}

function artifact(r: Release, changes: Partial<Artifact> = {}): Artifact {
  const pkg = changes.package ?? 'app';
  return {
    id: `A${r.version}-${changes.platformId ?? 'darwin'}-${changes.archId ?? 'aarch64'}-${pkg}`,
    appId: 'APP',
    releaseId: r.id,
    platformId: 'darwin',
    archId: 'aarch64',
    package: pkg,
    declaredSize: 10,
    status: 'ready',
    attemptId: 'AT',
    uploadExpiresAt: T0,
    objectKey: `ota/APP/${r.id}/${pkg}`,
    objectVersionId: `v-${r.id}-${pkg}`,
    size: 10,
    sha256: 'ab'.repeat(32),
    sha512: 'cd'.repeat(64),
    createdAt: T0,
    ...changes,
  };
}

/** Builds the feeds and returns the one a client of channel/platform/arch reads. */
function feedOf(
  releases: Release[],
  artifacts: Artifact[],
  options: { channel?: string; platform?: string; arch?: string; cat?: FeedCatalog } = {},
) {
  const { feeds } = buildAppFeeds(app, options.cat ?? catalog(), releases, artifacts, NOW);
  const feed = feeds.find(
    (f) =>
      f.channel === (options.channel ?? 'stable') &&
      f.platform === (options.platform ?? 'darwin') &&
      f.arch === (options.arch ?? 'aarch64'),
  );
  assert.ok(feed, 'feed exists');
  return feed;
}

const check = (feed: PlatformFeed, currentVersion: string, inRollout = () => false) =>
  checkFeed(feed, { currentVersion, now: NOW, inRollout });

describe('published feeds', () => {
  it('offer the newest published release with a verified artifact for the platform, never a downgrade', () => {
    const r1 = release('1.0.0');
    const r2 = release('1.1.0');
    const r3 = release('2.0.0');
    const feed = feedOf([r1, r2, r3], [artifact(r1), artifact(r2), artifact(r3, { platformId: 'windows', archId: 'x86_64' })]);
    const outcome = check(feed, '1.0.0');
    assert.equal(outcome.kind, 'update');
    assert.equal(outcome.kind === 'update' && outcome.release.version, '1.1.0', '2.0.0 has no darwin artifact');
    assert.equal(check(feed, '1.1.0').kind, 'current');
    assert.equal(check(feed, '1.2.0').kind, 'ahead');
    // Only the floor is needed in the item: older releases can never be offered.
    assert.deepEqual(
      feed.releases.map((r) => r.version),
      ['1.1.0'],
    );
  });

  it('carry delta packages beside their release, never as files to install; blockmaps stay out of the item', () => {
    const r1 = release('1.0.0');
    const r2 = release('1.1.0');
    const files = [
      artifact(r1, { package: 'zip' }),
      artifact(r2, { package: 'zip' }),
      artifact(r2, { package: 'zip.blockmap' }),
      artifact(r2, { id: 'D1', package: 'delta', deltaFrom: '1.0.0', edSignature: 'ZWQ=' }),
      artifact(r2, { id: 'D0', package: 'delta', deltaFrom: '0.9.0', status: 'pending' }),
    ];
    const [latest] = feedOf([r1, r2], files).releases;
    assert.deepEqual(
      latest?.files.map((f) => f.package),
      ['zip'],
      'only the installer is offered (a lone blockmap or delta never is)',
    );
    assert.deepEqual(
      latest?.deltas?.map((d) => [d.artifactId, d.deltaFrom, d.edSignature]),
      [['D1', '1.0.0', 'ZWQ=']],
      'verified deltas only',
    );
    const many = Array.from({ length: 12 }, (_, i) => artifact(r2, { id: `M${i}`, package: 'delta', deltaFrom: `0.${i}.0` }));
    assert.deepEqual(
      feedOf([r1, r2], [artifact(r2, { package: 'zip' }), ...many]).releases[0]?.deltas?.map((d) => d.deltaFrom),
      Array.from({ length: 10 }, (_, i) => `0.${11 - i}.0`),
      'the item stays small: the deltas from the newest versions',
    );
    const onlyDelta = feedOf([r1, r2], [artifact(r1), artifact(r2, { package: 'delta', deltaFrom: '1.0.0' })]);
    assert.deepEqual(
      onlyDelta.releases.map((r) => r.version),
      ['1.0.0'],
      'a release with nothing but a delta offers nothing',
    );
  });

  it('skip drafts, yanked releases and artifacts that are not verified: clients fall back to the previous release', () => {
    const r1 = release('1.0.0');
    const r2 = release('1.1.0', { status: 'yanked' });
    const r3 = release('1.2.0', { status: 'draft' });
    const r4 = release('1.3.0');
    const feed = feedOf([r1, r2, r3, r4], [artifact(r1), artifact(r2), artifact(r3), artifact(r4, { status: 'pending' })]);
    const outcome = check(feed, '0.9.0');
    assert.equal(outcome.kind === 'update' && outcome.release.version, '1.0.0');
  });

  it('give every channel, platform and arch pair an item, and keep pairs of other platforms out of it', () => {
    const r1 = release('1.0.0');
    const { feeds, defaultChannel } = buildAppFeeds(app, catalog([{ id: 'beta', name: 'beta' }]), [r1], [artifact(r1)], NOW);
    assert.equal(defaultChannel, 'stable');
    assert.equal(feeds.length, 2 * 12, 'two channels × the twelve built-in pairs');
    const linux = feeds.find((f) => f.channel === 'stable' && f.platform === 'linux' && f.arch === 'x86_64');
    assert.equal(linux && check(linux, '0.1.0').kind, 'empty');
  });

  it('let a following channel see the channels it follows, and an isolated one only its own', () => {
    const stable = release('1.2.0');
    const beta = release('1.3.0-beta.1', { channelId: 'beta' });
    const nightly = release('1.1.0-nightly.5', { channelId: 'nightly' });
    const cat = catalog([
      { id: 'beta', name: 'beta', follows: ['stable'] },
      { id: 'nightly', name: 'nightly', follows: [] },
    ]);
    const artifacts = [artifact(stable), artifact(beta), artifact(nightly)];
    const releases = [stable, beta, nightly];
    const version = (channel: string, current: string) => {
      const outcome = check(feedOf(releases, artifacts, { channel, cat }), current);
      return outcome.kind === 'update' ? outcome.release.version : outcome.kind;
    };
    assert.equal(version('stable', '1.0.0'), '1.2.0');
    assert.equal(version('beta', '1.0.0'), '1.3.0-beta.1');
    // Stable moved past beta: beta users are not stranded.
    const stable2 = release('1.4.0');
    const later = [...releases, stable2];
    const laterArtifacts = [...artifacts, artifact(stable2)];
    const betaLater = check(feedOf(later, laterArtifacts, { channel: 'beta', cat }), '1.3.0-beta.1');
    assert.equal(betaLater.kind === 'update' && betaLater.release.version, '1.4.0');
    // Isolated: nightly never sees stable, even newer.
    assert.equal(version('nightly', '1.0.0'), '1.1.0-nightly.5');
    const isolated = check(feedOf(later, laterArtifacts, { channel: 'nightly', cat }), '1.1.0-nightly.5');
    assert.equal(isolated.kind, 'current');
    // Follows are transitive and cycles are harmless.
    const channels = new Map(
      [
        { id: 'a', follows: ['b'] },
        { id: 'b', follows: ['c'] },
        { id: 'c', follows: ['a'] },
      ].map((c) => [c.id, c as Channel]),
    );
    assert.deepEqual([...channelClosure('a', channels)].sort(), ['a', 'b', 'c']);
  });

  it('keep pre-releases out of a channel that does not allow them', () => {
    const r1 = release('1.0.0');
    const pre = release('1.1.0-rc.1');
    const strict = catalog();
    (strict.channels[0] as Channel).allowPrerelease = false;
    const feed = feedOf([r1, pre], [artifact(r1), artifact(pre)], { cat: strict });
    const outcome = check(feed, '0.9.0');
    assert.equal(outcome.kind === 'update' && outcome.release.version, '1.0.0');
  });

  it('serve the artifact of the requested bundle type, else the platform/arch default', () => {
    const r1 = release('2.0.0');
    const feed = feedOf(
      [r1],
      [
        artifact(r1, { platformId: 'linux', archId: 'x86_64', package: 'rpm' }),
        artifact(r1, { platformId: 'linux', archId: 'x86_64', package: 'deb' }),
        artifact(r1, { platformId: 'linux', archId: 'x86_64', package: 'appimage' }),
      ],
      { platform: 'linux', arch: 'x86_64' },
    );
    const outcome = check(feed, '1.0.0');
    assert.equal(outcome.kind, 'update');
    if (outcome.kind !== 'update') return;
    assert.equal(pickFile(outcome.release, 'deb')?.package, 'deb');
    assert.equal(pickFile(outcome.release, 'rpm')?.package, 'rpm');
    assert.equal(pickFile(outcome.release, 'msi')?.package, 'appimage', 'no match: the default (the AppImage Tauri updates)');
    assert.equal(pickFile(outcome.release)?.package, 'appimage');
  });

  it('send a client below a required intermediate release through it first, as faynoSync does', () => {
    // faynoSync's TestCheckVersionWithIntermediate: 0.0.7.137 and 0.0.9.137 are stepping stones.
    const versions: [string, Partial<Release>][] = [
      ['0.0.6.135', { intermediate: true }],
      ['0.0.7.137', { intermediate: true }],
      ['0.0.8.136', {}],
      ['0.0.9.137', { intermediate: true, critical: true }],
      ['0.0.10.138', {}],
    ];
    const releases = versions.map(([v, c]) => release(v, c));
    const feed = feedOf(
      releases,
      releases.map((r) => artifact(r)),
    );
    const expect = (current: string, version: string | undefined, via: boolean, critical: boolean) => {
      const outcome = check(feed, current);
      if (version === undefined) return assert.equal(outcome.kind, 'current', current);
      assert.equal(outcome.kind, 'update', current);
      if (outcome.kind !== 'update') return;
      assert.equal(outcome.release.version, version, current);
      assert.equal(outcome.viaIntermediate, via, `${current} via intermediate`);
      assert.equal(outcome.release.critical === true, critical, `${current} own critical flag`);
    };
    expect('0.0.6.135', '0.0.7.137', true, false);
    expect('0.0.7.137', '0.0.9.137', true, true);
    expect('0.0.8.136', '0.0.9.137', true, true);
    expect('0.0.9.137', '0.0.10.138', false, false);
    expect('0.0.10.138', undefined, false, false);
    // The stones below the floor stay in the item; plain old releases do not.
    assert.deepEqual(
      feed.releases.map((r) => r.version),
      ['0.0.10.138', '0.0.9.137', '0.0.7.137', '0.0.6.135'],
    );
  });

  it('make the offered update critical when the client skips a critical release (mandatory propagates)', () => {
    const releases = [release('1.0.0'), release('1.1.0', { critical: true }), release('1.2.0'), release('1.3.0')];
    const feed = feedOf(
      releases,
      releases.map((r) => artifact(r)),
    );
    assert.deepEqual(feed.criticalBelow, ['1.1.0'], 'critical versions under the floor are kept as versions only');
    const behind = check(feed, '1.0.0');
    assert.ok(behind.kind === 'update' && behind.critical && behind.release.version === '1.3.0');
    const past = check(feed, '1.1.0');
    assert.ok(past.kind === 'update' && !past.critical, 'already past the critical release');
  });

  it('offer a partial rollout only to devices inside it, and the previous release (the control group) to the rest', () => {
    const r1 = release('1.0.0');
    const r2 = release('1.1.0', { rolloutPercent: 20 });
    const feed = feedOf([r1, r2], [artifact(r1), artifact(r2)]);
    assert.deepEqual(
      feed.releases.map((r) => [r.version, r.rollout]),
      [
        ['1.1.0', 20],
        ['1.0.0', undefined],
      ],
    );
    const outside = check(feed, '0.9.0');
    assert.equal(outside.kind === 'update' && outside.release.version, '1.0.0');
    const inside = check(feed, '0.9.0', () => true);
    assert.equal(inside.kind === 'update' && inside.release.version, '1.1.0');
    const halted = feedOf([r1, { ...r2, rolloutPercent: 0 }], [artifact(r1), artifact(r2)]);
    assert.equal(check(halted, '1.0.0').kind, 'current', 'a halted (0 %) rollout offers nothing new');
  });

  it('start offering a scheduled release at its time without a write, and bound edge caching until then', () => {
    const r1 = release('1.0.0');
    const at = new Date(NOW.getTime() + 3_600_000).toISOString();
    const r2 = release('1.1.0', { publishAt: at });
    const feed = feedOf([r1, r2], [artifact(r1), artifact(r2)]);
    const before = check(feed, '1.0.0');
    assert.equal(before.kind, 'current');
    const after = checkFeed(feed, { currentVersion: '1.0.0', now: new Date(NOW.getTime() + 3_600_001), inRollout: () => false });
    assert.equal(after.kind === 'update' && after.release.version, '1.1.0');
    assert.equal(nextScheduledChange(feed, NOW)?.toISOString(), at);
  });

  it('use the artifact signature over the release signature (a signature belongs to one file)', () => {
    const r1 = release('1.0.0', { signature: 'release-wide' });
    const feed = feedOf([r1], [artifact(r1, { signature: 'own' })]);
    assert.equal(feed.releases[0]?.files[0]?.signature, 'own');
    const fallback = feedOf([r1], [artifact(r1)]);
    assert.equal(fallback.releases[0]?.files[0]?.signature, 'release-wide');
  });
});
