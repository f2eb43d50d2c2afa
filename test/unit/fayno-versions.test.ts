import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Conflict, Invalid, NotFound } from '../../shared/domain/errors.js';
import { newId } from '../../shared/domain/ids.js';
import type { App } from '../../shared/domain/model.js';
import { faceErrorMessage } from '../../shared/http/errors.js';
import { ownerCaller as caller, faynoData as data, faynoVersionsOver, faynoFile as file, newApp, releaseWorld } from './in-memory.js';

const BASE_URL = 'https://updates.example.com';

/** The faynoSync versions service on the real release and artifact services over in-memory fakes. */
function fixture() {
  const app = newApp('App');
  const apps: App[] = [app];
  const world = releaseWorld(apps);
  const versions = faynoVersionsOver(apps, world, BASE_URL);
  const authorize = async (appId: string) => {
    const found = apps.find((a) => a.id === appId);
    if (!found) throw new NotFound('no such app');
    return found;
  };
  /** What `/search` lists for the app, newest first. */
  const search = async () => (await versions.search(caller, authorize, { appName: 'App', page: 1, limit: 50 })).items;
  /** The client's PUT of a presigned upload and the S3 event's ingest of it. */
  const put = async (uploadUrl: string, content: string) => {
    const key = new URL(uploadUrl).pathname.slice(1);
    world.store.objects.set(key, Buffer.from(content));
    return world.artifactService.ingest({ key });
  };
  return { ...world, app, apps, versions, authorize, search, put };
}

describe('faynoSync uploads: where the files go (with in-memory fakes)', () => {
  it('stores a file without platform or arch for any platform, in the default channel, and skips feed files it generates', async () => {
    const { versions, authorize, search } = fixture();
    const id = await versions.upload(caller, authorize, data(), [file('App-1.0.0.dmg'), file('latest-mac.yml')]);
    const [version] = await search();
    assert.equal(version?.ID, id);
    assert.equal(version?.Channel, 'stable');
    assert.equal(version?.Published, false, 'uploaded without publish: a draft');
    assert.deepEqual(
      version?.Artifacts.map((a) => ({ platform: a.platform, arch: a.arch, package: a.package })),
      [{ platform: '', arch: '', package: '.dmg' }],
      'the YAML feed is not stored: the server generates it',
    );
    assert.match(version?.Artifacts[0]?.link ?? '', new RegExp(`^${BASE_URL}/`));
  });

  it('resolves named platform, arch and channel, and requires naming them once the owner created one', async () => {
    const { versions, authorize, catalogs, search } = fixture();
    catalogs.add('platform', 'macos');
    await assert.rejects(
      versions.upload(caller, authorize, data(), [file('a.dmg')]),
      (e) => e instanceof Invalid && e.message === 'you have a created platforms, setting platform is required',
    );
    await assert.rejects(
      versions.upload(caller, authorize, data({ platform: 'beos' }), [file('a.dmg')]),
      (e) => e instanceof Invalid && e.message === 'wrong name of platform. Platform does not exist',
    );
    catalogs.add('channel', 'beta');
    await assert.rejects(
      versions.upload(caller, authorize, data({ platform: 'macos' }), [file('a.dmg')]),
      /you have a created channels, setting channel is required/,
    );
    await versions.upload(caller, authorize, data({ channel: 'beta', platform: 'macos', arch: 'aarch64' }), [file('a.dmg')]);
    const [version] = await search();
    assert.equal(version?.Channel, 'beta');
    assert.deepEqual(
      version?.Artifacts.map((a) => [a.platform, a.arch]),
      [['macos', 'aarch64']],
    );
  });

  it("answers faynoSync's not-found for an app the caller does not have, and refuses a request without files", async () => {
    const { versions, authorize } = fixture();
    await assert.rejects(
      versions.upload(caller, authorize, data({ appName: 'Other' }), [file('a.dmg')]),
      (e) => e instanceof NotFound && /app_name not found/.test(e.message),
    );
    await assert.rejects(versions.upload(caller, authorize, data(), []), /no results found/);
  });
});

describe('faynoSync uploads: duplicates (with in-memory fakes)', () => {
  it('refuses a file already there for the version, platform, arch and extension, or twice in one request; another extension joins the version', async () => {
    const { versions, authorize, search } = fixture();
    const id = await versions.upload(caller, authorize, data({ platform: 'darwin', arch: 'aarch64' }), [file('a.dmg')]);
    const duplicate = (e: unknown) => e instanceof Conflict && e.message.includes('already exists');
    await assert.rejects(versions.upload(caller, authorize, data({ platform: 'darwin', arch: 'aarch64' }), [file('b.dmg')]), duplicate);
    await assert.rejects(
      versions.upload(caller, authorize, data({ platform: 'linux', arch: 'aarch64' }), [file('a.deb'), file('b.deb')]),
      duplicate,
    );
    // `1-0-0` is faynoSync's spelling of 1.0.0: the same version.
    const again = await versions.upload(caller, authorize, data({ version: '1-0-0', platform: 'darwin', arch: 'aarch64' }), [
      file('a.zip'),
    ]);
    assert.equal(again, id);
    assert.deepEqual(
      (await search()).map((v) => v.Artifacts.map((a) => a.package)),
      [['.dmg', '.zip']],
      'the refused requests stored nothing',
    );
  });
});

describe('faynoSync publish requests (with in-memory fakes)', () => {
  it('publishes an upload sent with publish once its files are verified (at once for files in the body)', async () => {
    const { versions, authorize, search } = fixture();
    await versions.upload(caller, authorize, data({ publish: true }), [file('a.dmg')]);
    assert.equal((await search())[0]?.Published, true);
  });

  it('presign then confirm: 409 while verifying, 400 naming a refused file, published once every file verified', async () => {
    const { versions, authorize, put, search } = fixture();
    const files = [
      { name: 'a.dmg', size: 5 },
      { name: 'a.zip', size: 5 },
    ];
    const presigned = await versions.presign(caller, authorize, data({ publish: true }), files);
    assert.equal(presigned.publish, true);
    assert.equal(presigned.uploads.length, 2);
    const [dmg, zip] = presigned.uploads;
    assert.ok(dmg && zip);
    assert.equal(await put(dmg.upload_url, 'abcde'), 'ready');
    await assert.rejects(
      versions.confirm(caller, authorize, presigned.id, true),
      (e) =>
        e instanceof Conflict &&
        e.reason === 'upload_pending' &&
        faceErrorMessage(e, 'faynosync').startsWith('still verifying 1 file (App-1.0.0.zip'),
    );
    assert.equal((await search())[0]?.Published, false, 'one file is not verified yet: nothing published');
    assert.equal(await put(zip.upload_url, 'too long'), 'rejected');
    await assert.rejects(
      versions.confirm(caller, authorize, presigned.id, true),
      (e) =>
        e instanceof Invalid &&
        e.reason === 'upload_refused' &&
        /App-1\.0\.0\.zip .* was rejected: .*; request a new upload URL/.test(faceErrorMessage(e, 'faynosync')),
    );

    const retried = await versions.presign(caller, authorize, data({ publish: true }), [{ name: 'a.zip', size: 5 }]);
    assert.equal(retried.id, presigned.id, 'the same version');
    assert.equal(retried.publish, true, 'the request to publish still stands');
    assert.equal(await put(retried.uploads[0]?.upload_url ?? '', 'fghij'), 'ready');
    assert.equal(await versions.confirm(caller, authorize, presigned.id, true), presigned.id);
    const [version] = await search();
    assert.equal(version?.Published, true);
    assert.deepEqual(
      version?.Artifacts.map((a) => a.package),
      ['.dmg', '.zip'],
    );
  });

  it('does not publish on confirm what was uploaded without publish: that takes /apps/update', async () => {
    const { versions, authorize, put, search } = fixture();
    const presigned = await versions.presign(caller, authorize, data(), [{ name: 'a.dmg', size: 3 }]);
    assert.equal(presigned.publish, false);
    await put(presigned.uploads[0]?.upload_url ?? '', 'abc');
    await assert.rejects(
      versions.confirm(caller, authorize, presigned.id, true),
      (e) => e instanceof Conflict && /POST \/apps\/update/.test(e.message),
    );
    assert.equal(await versions.confirm(caller, authorize, presigned.id, false), presigned.id);
    assert.equal((await search())[0]?.Published, false);
  });
});

describe('faynoSync /apps/update (with in-memory fakes)', () => {
  it('writes publish, critical and intermediate on every edit (absent = false), keeps the changelog when empty and the rollout when absent', async () => {
    const { versions, authorize, search } = fixture();
    const id = await versions.upload(caller, authorize, data({ changelog: 'first', rollout: 40 }), [file('a.dmg')]);
    await versions.update(caller, authorize, data({ id, publish: true, critical: true, intermediate: true }), []);
    let [version] = await search();
    assert.deepEqual(
      [version?.Published, version?.Critical, version?.Intermediate, version?.Changelog[0]?.Changes, version?.RolloutPercent],
      [true, true, true, 'first', 40],
    );
    await versions.update(caller, authorize, data({ id, publish: true, changelog: 'second', rollout: 100 }), []);
    [version] = await search();
    assert.deepEqual(
      [version?.Published, version?.Critical, version?.Intermediate, version?.Changelog[0]?.Changes, version?.RolloutPercent],
      [true, false, false, 'second', 100],
    );
    await versions.update(caller, authorize, data({ id }), []);
    assert.equal((await search())[0]?.Published, false, 'publish absent: the version is taken back (yanked)');
  });

  it('lets a yanked version take a file only when the same call publishes it again, and skips a file already there', async () => {
    const { versions, authorize, search } = fixture();
    const id = await versions.upload(caller, authorize, data({ publish: true }), [file('a.dmg')]);
    await versions.update(caller, authorize, data({ id }), []);
    await assert.rejects(
      versions.update(caller, authorize, data({ id }), [file('a.zip')]),
      (e) => e instanceof Conflict && /yanked/.test(e.message),
    );
    await versions.update(caller, authorize, data({ id, publish: true }), [file('a.zip'), file('again.dmg', 'other bytes')]);
    const [version] = await search();
    assert.equal(version?.Published, true);
    assert.deepEqual(
      version?.Artifacts.map((a) => a.package),
      ['.dmg', '.zip'],
      'the .dmg already there was skipped, silently',
    );
  });

  it("refuses another channel, a version that is not the id's, and an id that is not one", async () => {
    const { versions, authorize, catalogs } = fixture();
    const id = await versions.upload(caller, authorize, data(), [file('a.dmg')]);
    catalogs.add('channel', 'beta');
    await assert.rejects(versions.update(caller, authorize, data({ id, channel: 'beta' }), []), /updating the channel is not allowed/);
    await assert.rejects(versions.update(caller, authorize, data({ id, version: '2.0.0' }), []), (e) => e instanceof NotFound);
    await assert.rejects(versions.update(caller, authorize, data({ id: newId() }), []), (e) => e instanceof NotFound);
    await assert.rejects(versions.update(caller, authorize, data({ id: 'nope' }), []), /not a valid ObjectID/);
  });
});

describe('faynoSync deletes (with in-memory fakes)', () => {
  it('deletes files by index into the shrinking list, in upload order; nothing when an index is bad', async () => {
    const { versions, authorize, search } = fixture();
    const id = await versions.upload(caller, authorize, data(), [file('a.dmg'), file('a.zip'), file('a.pkg')]);
    const remove = (indices: string[]) => versions.deleteArtifacts(caller, authorize, { id, appName: 'App', version: '', indices });
    assert.equal(await remove(['0', '3']), false);
    assert.equal(await remove(['x']), false);
    assert.deepEqual(
      (await search())[0]?.Artifacts.map((a) => a.package),
      ['.dmg', '.zip', '.pkg'],
      'a refused request deletes nothing',
    );
    assert.equal(await remove(['0', '1']), true);
    assert.deepEqual(
      (await search())[0]?.Artifacts.map((a) => a.package),
      ['.zip'],
      '["0","1"] removes the original 0 and 2',
    );
  });

  it('deletes a whole version with its files', async () => {
    const { versions, authorize, search, releases } = fixture();
    const id = await versions.upload(caller, authorize, data(), [file('a.dmg')]);
    await versions.upload(caller, authorize, data({ version: '2.0.0' }), [file('b.dmg')]);
    await versions.deleteVersion(caller, authorize, id);
    assert.deepEqual(
      (await search()).map((v) => v.Version),
      ['2.0.0'],
    );
    assert.equal([...releases.artifacts.values()].length, 1);
    await assert.rejects(versions.deleteVersion(caller, authorize, id), (e) => e instanceof NotFound);
  });
});
