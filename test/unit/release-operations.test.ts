import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildAppFeeds } from '../../shared/domain/feed-builder.js';
import { newId } from '../../shared/domain/ids.js';
import type { App, Release } from '../../shared/domain/model.js';
import { unitOfWork } from '../../shared/services/feed-changes.js';
import { newApp, releaseWorld, T0 } from './in-memory.js';

/** An app with a `beta` channel that follows nothing, and a helper to publish a release with one verified file. */
function world() {
  const app: App = newApp('Ops');
  const w = releaseWorld([app]);
  const beta = w.catalogs.add('channel', 'beta');
  const published = async (version: string, channel: string): Promise<Release> => {
    const { release } = await w.releaseService.create(app, { version, channel, publish: true });
    const id = newId();
    w.releases.artifacts.set(id, {
      id,
      appId: app.id,
      releaseId: release.id,
      platformId: 'linux',
      archId: 'x86_64',
      package: 'appimage',
      declaredSize: 4,
      status: 'ready',
      attemptId: 'a1',
      uploadExpiresAt: T0,
      objectKey: `ota/${app.id}/${release.id}/${id}/a1/sha`,
      objectVersionId: `v-${version}`,
      size: 4,
      sha256: 'aa',
      sha512: 'bb',
      createdAt: T0,
      readyAt: T0,
    });
    return release;
  };
  /** What a channel's linux/x86_64 feed offers, newest first, with each release's object version. */
  const feed = async (channel: string) => {
    const { releases, artifacts } = await w.releases.collection(app.id);
    const feeds = buildAppFeeds(app, await w.catalogs.all(), releases, artifacts, new Date(Date.parse(T0) + 86_400_000));
    const one = feeds.feeds.find((f) => f.channel === channel && f.platform === 'linux' && f.arch === 'x86_64');
    return (one?.releases ?? []).map((r) => `${r.version}@${r.files[0]?.versionId}`);
  };
  return { ...w, app, beta, published, feed };
}

describe('release operations (with in-memory fakes)', () => {
  it('promotes a published release into another channel with the very same verified object, once', async () => {
    const { app, releaseService, published, feed } = world();
    await published('1.0.0', 'stable');
    const rc = await published('1.1.0', 'beta');
    assert.deepEqual(await feed('stable'), ['1.0.0@v-1.0.0']);
    const promoted = await releaseService.promote(app, rc.id, 'stable');
    assert.deepEqual(promoted.names.promotedTo, ['stable']);
    assert.deepEqual(await feed('stable'), ['1.1.0@v-1.1.0'], 'stable offers 1.1.0 with the object version beta offers');
    assert.deepEqual(await feed('beta'), ['1.1.0@v-1.1.0'], 'beta keeps it');
    const again = await releaseService.promote(app, rc.id, 'stable');
    assert.equal(again.release.updatedAt, promoted.release.updatedAt, 'promoting again changes nothing');
  });

  it('refuses to promote a draft, a yanked release, or into an unknown channel', async () => {
    const { app, releaseService, published } = world();
    const { release: draft } = await releaseService.create(app, { version: '0.9.0', channel: 'beta' });
    await assert.rejects(releaseService.promote(app, draft.id, 'stable'), /draft: only a published release is promoted/);
    const rc = await published('1.0.0', 'beta');
    await assert.rejects(releaseService.promote(app, rc.id, 'nope'), /no channel "nope"/);
    await releaseService.yank(app, rc.id);
    await assert.rejects(releaseService.promote(app, rc.id, 'stable'), /yanked/);
  });

  it('rolls a channel back in one step and one rebuild: its own newer releases yanked, promotions into it withdrawn', async () => {
    const { app, releaseService, published, feed, republished } = world();
    await published('1.0.0', 'stable');
    const r11 = await published('1.1.0', 'stable');
    await published('1.2.0', 'stable');
    const rc = await published('1.3.0', 'beta');
    await releaseService.promote(app, rc.id, 'stable');
    assert.deepEqual(await feed('stable'), ['1.3.0@v-1.3.0']);

    republished.length = 0;
    const done = await unitOfWork(() => releaseService.rollback(app, 'stable', '1.1.0'));
    assert.equal(republished.length, 1, 'one feed rebuild');
    assert.equal(done.to.release.id, r11.id);
    assert.deepEqual(
      done.yanked.map((v) => v.release.version),
      ['1.2.0'],
    );
    assert.deepEqual(
      done.withdrawn.map((v) => v.release.version),
      ['1.3.0'],
    );
    assert.deepEqual(await feed('stable'), ['1.1.0@v-1.1.0']);
    assert.deepEqual(await feed('beta'), ['1.3.0@v-1.3.0'], 'beta keeps its own release');

    const nothing = await unitOfWork(() => releaseService.rollback(app, 'stable', '1.1.0'));
    assert.deepEqual([nothing.yanked.length, nothing.withdrawn.length], [0, 0]);
    await assert.rejects(releaseService.rollback(app, 'stable', '1.3.0'), /stable has no release "1.3.0"/, 'no longer offered in stable');
    await assert.rejects(releaseService.rollback(app, 'stable', '1.2.0'), /yanked: publish it again first/);
    await assert.rejects(releaseService.rollback(app, 'stable', '7.0.0'), /has no release "7.0.0"/);
  });
});
