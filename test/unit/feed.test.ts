import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildFeed, chooseUpdate } from '../../shared/domain/feed.js';
import type { Artifact, Release } from '../../shared/domain/model.js';
import type { Arch, Target } from '../../shared/domain/platform.js';

const release = (id: string, version: string, signature?: string): Release => ({
  id,
  appId: 'A',
  version,
  notes: `notes ${version}`,
  ...(signature ? { signature } : {}),
  pubDate: '2026-01-01T00:00:00.000Z',
  createdAt: '2026-01-01T00:00:00.000Z',
});

const artifact = (releaseId: string, target: Target, arch: Arch, status: Artifact['status'] = 'ready', signature?: string): Artifact => ({
  appId: 'A',
  releaseId,
  target,
  arch,
  objectKey: `ota/A/${releaseId}/${target}-${arch}`,
  declaredSize: 10,
  status,
  ...(status === 'ready' ? { size: 10, sha256: 'ab'.repeat(32), objectVersionId: `v-${releaseId}` } : {}),
  ...(signature ? { signature } : {}),
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('feed', () => {
  it('keeps, per platform, the highest semver release with a ready artifact', () => {
    const feed = buildFeed(
      'A',
      [release('r1', '1.0.0'), release('r2', '1.10.0'), release('r3', '1.9.0'), release('r4', '2.0.0'), release('r5', '3.0.0-beta.1')],
      [
        artifact('r1', 'darwin', 'aarch64'),
        artifact('r3', 'darwin', 'aarch64'),
        artifact('r2', 'darwin', 'aarch64'),
        artifact('r4', 'darwin', 'aarch64', 'pending'),
        artifact('r4', 'linux', 'x86_64', 'rejected'),
        artifact('r5', 'windows', 'x86_64'),
      ],
    );
    assert.equal(feed.entries['darwin-aarch64']?.version, '1.10.0', '1.10.0 > 1.9.0 by semver, not by string');
    assert.equal(feed.entries['darwin-aarch64']?.objectVersionId, 'v-r2');
    assert.equal(feed.entries['linux-x86_64'], undefined, 'rejected artifacts are never offered');
    assert.equal(feed.entries['windows-x86_64']?.version, '3.0.0-beta.1');
  });

  it("uses the artifact's own signature over the release's", () => {
    const feed = buildFeed(
      'A',
      [release('r1', '1.0.0', 'release-sig')],
      [artifact('r1', 'darwin', 'aarch64', 'ready', 'artifact-sig'), artifact('r1', 'linux', 'x86_64')],
    );
    assert.equal(feed.entries['darwin-aarch64']?.signature, 'artifact-sig');
    assert.equal(feed.entries['linux-x86_64']?.signature, 'release-sig');
  });

  it('offers an update only when strictly newer than the current version', () => {
    const feed = buildFeed('A', [release('r1', '1.2.0')], [artifact('r1', 'darwin', 'aarch64')]);
    assert.equal(chooseUpdate(feed, 'darwin', 'aarch64', '1.1.9')?.version, '1.2.0');
    assert.equal(chooseUpdate(feed, 'darwin', 'aarch64', '1.2.0-rc.1')?.version, '1.2.0', 'a release beats its pre-releases');
    assert.equal(chooseUpdate(feed, 'darwin', 'aarch64', '1.2.0'), undefined);
    assert.equal(chooseUpdate(feed, 'darwin', 'aarch64', '1.2.0+build.9'), undefined, 'build metadata has no precedence');
    assert.equal(chooseUpdate(feed, 'darwin', 'aarch64', '2.0.0'), undefined);
    assert.equal(chooseUpdate(feed, 'linux', 'x86_64', '0.0.1'), undefined);
  });
});
