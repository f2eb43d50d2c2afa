import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Conflict, Invalid } from '../../shared/domain/errors.js';
import { errorResult } from '../../shared/http/respond.js';
import { assertPublishable } from '../../shared/services/release-service.js';
import { ownerCaller as caller, newApp, releaseWorld } from './in-memory.js';

/** The one release path (ReleaseUploads) over the real release and artifact services and in-memory fakes. */
function fixture() {
  const app = newApp('App');
  const world = releaseWorld([app]);
  const bytes = (content: string) => ({
    file: 'App-1.0.0.app.tar.gz',
    target: 'darwin',
    arch: 'aarch64',
    package: 'app',
    bytes: Buffer.from(content),
  });
  return { ...world, app, bytes };
}

describe('the one release path: find or create (with in-memory fakes)', () => {
  it('answers the existing release of a version (equal versions are one), else creates it', async () => {
    const { uploads, app } = fixture();
    const created = await uploads.findOrCreate(app, { version: '1.0.0', channel: 'stable', publish: false, critical: true });
    const again = await uploads.findOrCreate(app, { version: '1.0.0', channel: 'stable', publish: true });
    assert.equal(again.release.id, created.release.id);
    assert.equal(again.release.status, 'draft', 'a found release keeps its flags');
    assert.equal(again.release.critical, true);
  });

  it('is race-safe: concurrent requests for one version share the release one of them created', async () => {
    const { uploads, app, releases } = fixture();
    const views = await Promise.all(Array.from({ length: 5 }, () => uploads.findOrCreate(app, { version: '2.0.0', channel: 'stable' })));
    assert.equal(new Set(views.map((v) => v.release.id)).size, 1);
    assert.equal(releases.releases.size, 1);
  });
});

describe('the one release path: store or discard (with in-memory fakes)', () => {
  it('stores bytes in the body as a verified artifact, with no second lookup of resolved catalog entries', async () => {
    const { uploads, app, catalogs, bytes } = fixture();
    const { release } = await uploads.findOrCreate(app, { version: '1.0.0', channel: 'stable' });
    const platform = await catalogs.findByName('O', 'platform', 'darwin');
    const arch = await catalogs.findByName('O', 'arch', 'aarch64');
    assert.ok(platform && arch);
    let lookups = 0;
    const findByName = catalogs.findByName.bind(catalogs);
    catalogs.findByName = async (...args) => {
      lookups++;
      return findByName(...args);
    };
    const artifact = await uploads.storeOrDiscard(caller, app, release.id, { ...bytes('abc'), entries: { platform, arch } });
    assert.equal(artifact.status, 'ready');
    assert.equal(lookups, 0, 'the resolved entries are not looked up again');
  });

  it('discards a refused file (the release keeps its others), or the whole release, and answers upload_rejected with the facts', async () => {
    const { uploads, app, releases, bytes, releaseService } = fixture();
    app.tauriPublicKey = 'untrusted comment: minisign public key\nRWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3';
    const { release } = await uploads.findOrCreate(app, { version: '1.0.0', channel: 'stable' });
    await assert.rejects(uploads.storeOrDiscard(caller, app, release.id, bytes('unsigned')), (e) => {
      assert.ok(e instanceof Invalid);
      assert.equal(e.reason, 'upload_rejected');
      assert.equal(e.facts.file, 'App-1.0.0.app.tar.gz');
      assert.match(e.facts.reason ?? '', /signature/);
      return true;
    });
    assert.deepEqual((await releaseService.get(app, release.id)).artifacts, [], 'the refused file is gone, its release stays');
    await assert.rejects(uploads.storeOrDiscard(caller, app, release.id, bytes('unsigned'), 'release'), /was rejected/);
    assert.equal(releases.releases.size, 0, 'with "release", the release goes too');
  });
});

describe('the one release path: confirmation and publishing (with in-memory fakes)', () => {
  it('confirms once every file is verified: 409 upload_pending naming those still arriving, 400 upload_refused naming a refused one', async () => {
    const { uploads, app, store, artifactService } = fixture();
    const { release } = await uploads.findOrCreate(app, { version: '1.0.0', channel: 'stable' });
    const slot = await uploads.requestUpload(caller, app, release.id, { target: 'darwin', arch: 'aarch64', package: 'app', fileSize: 3 });
    await assert.rejects(uploads.confirm(app, release.id), (e) => {
      assert.ok(e instanceof Conflict);
      assert.equal(e.reason, 'upload_pending');
      assert.deepEqual(e.facts, { count: '1', files: 'App-1.0.0.app (darwin/aarch64)' });
      return true;
    });
    store.objects.set(slot.objectKey, Buffer.from('four'));
    assert.equal(await artifactService.ingest({ key: slot.objectKey }), 'rejected');
    await assert.rejects(uploads.confirm(app, release.id), (e) => e instanceof Invalid && e.reason === 'upload_refused');
    const again = await uploads.requestUpload(caller, app, release.id, { target: 'darwin', arch: 'aarch64', package: 'app', fileSize: 3 });
    store.objects.set(again.objectKey, Buffer.from('abc'));
    await artifactService.ingest({ key: again.objectKey });
    assert.equal((await uploads.confirm(app, release.id)).artifacts[0]?.status, 'ready');
  });

  it('a refused confirmation with "release" deletes the release', async () => {
    const { uploads, app, store, artifactService, releases } = fixture();
    const { release } = await uploads.findOrCreate(app, { version: '1.0.0', channel: 'stable' });
    const slot = await uploads.requestUpload(caller, app, release.id, { target: 'darwin', arch: 'aarch64', package: 'app', fileSize: 3 });
    store.objects.set(slot.objectKey, Buffer.from('four'));
    await artifactService.ingest({ key: slot.objectKey });
    await assert.rejects(uploads.confirm(app, release.id, 'release'), (e) => e instanceof Invalid && e.reason === 'upload_refused');
    assert.equal(releases.releases.size, 0);
  });

  it('publishing asks for at least one file and every file verified', async () => {
    const { uploads, app } = fixture();
    const { release } = await uploads.findOrCreate(app, { version: '1.0.0', channel: 'stable' });
    assert.throws(() => assertPublishable(release, []), /no verified artifact/);
    const ready = { status: 'ready' } as never;
    const pending = { id: 'A', status: 'pending' } as never;
    assert.throws(() => assertPublishable(release, [ready, pending]), /not verified: A \(pending\)/);
    assert.doesNotThrow(() => assertPublishable(release, [ready]));
  });

  it('each face words the path errors from their facts; the service face keeps the message', () => {
    const refused = new Invalid('file x was rejected: bad', 'upload_refused', { file: 'x (mac/arm)', status: 'rejected', reason: 'bad' });
    const pending = new Conflict('2 files are not verified yet', 'upload_pending', { count: '2', files: 'a, b' });
    const text = (face: 'service' | 'faynosync' | 'koolbase', error: Error) => JSON.parse(errorResult(error, () => {}, face).body ?? '');
    assert.equal(
      text('faynosync', refused).error,
      'file x (mac/arm) was rejected: bad; request a new upload URL for it with POST /upload/presign',
    );
    assert.equal(text('koolbase', refused).error, 'bundle rejected: bad');
    assert.equal(text('service', refused).error.message, 'file x was rejected: bad');
    assert.equal(text('faynosync', pending).error, 'still verifying 2 files (a, b): PUT every file to its upload_url, then confirm again');
    assert.match(text('koolbase', pending).error, /^bundle not received yet/);
  });
});
