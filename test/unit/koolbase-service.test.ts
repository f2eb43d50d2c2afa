import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Conflict, Invalid, NotFound, TooLarge } from '../../shared/domain/errors.js';
import { apiKeyHash } from '../../shared/domain/koolbase-api-key.js';
import { checkAnswer } from '../../shared/faces/koolbase/check.js';
import { faceErrorMessage } from '../../shared/http/errors.js';
import { KoolbaseService, MAX_KEYS_PER_PROJECT } from '../../shared/services/koolbase-service.js';
import { ownerCaller as caller, FakeKoolbase, newApp, releaseWorld, T0 } from './in-memory.js';

const BASE_URL = 'https://updates.example.com';

/** The Koolbase service on the real release and artifact services over in-memory fakes, with a clock the test moves. */
function fixture() {
  const app = newApp('Project');
  const world = releaseWorld([app]);
  const koolbase = new FakeKoolbase();
  const clock = { ms: Date.parse(T0) };
  const service = new KoolbaseService(
    world.catalogs,
    world.releases,
    world.releaseService,
    world.uploads,
    world.deletion,
    koolbase,
    () => new Date(clock.ms),
  );
  const upload = (channel?: string, content = `bundle ${Math.random()}`) =>
    service.upload(caller, app, { bytes: Buffer.from(content), ...(channel ? { channel } : {}) });
  /** What the SDK's check answers for a key: the one item read by its hash. */
  const check = (key: string, query: { channel?: string; version?: string } = {}) =>
    checkAnswer(koolbase.items.get(apiKeyHash(key)), query, BASE_URL, clock.ms);
  return { ...world, app, service, koolbase, clock, upload, check };
}

describe('Koolbase bundles (with in-memory fakes)', () => {
  it('numbers bundles 1, 2, 3 per channel, tags the release version of other channels, and skips a number another face holds', async () => {
    const { upload, releaseService, app, catalogs } = fixture();
    const first = await upload();
    const second = await upload();
    const staging = await upload('staging');
    assert.deepEqual(
      [first, second, staging].map((b) => [b.channel, b.version, b.release.version, b.release.status, b.active]),
      [
        ['production', 1, '1', 'draft', false],
        ['production', 2, '2', 'draft', false],
        ['staging', 1, '1-staging', 'draft', false],
      ],
    );
    const channel = await catalogs.findByName('O', 'channel', 'staging');
    assert.equal(channel?.explicit, false, "created on first use, without switching on faynoSync's channel rule");
    await releaseService.create(app, { version: '3' });
    assert.equal((await upload()).version, 4, 'release 3 belongs to another face');
    await assert.rejects(upload('no_underscores'), (e) => e instanceof Invalid);
  });

  it('refuses an empty bundle and one over 50 MB; completes only a verified one, and deletes one whose bytes fail verification', async () => {
    const { service, app, store, artifactService, releases } = fixture();
    await assert.rejects(service.upload(caller, app, { bytes: new Uint8Array() }), /bundle is empty/);
    await assert.rejects(service.requestUpload(caller, app, { fileSize: 50 * 1024 * 1024 + 1 }), (e) => e instanceof TooLarge);
    const presigned = await service.requestUpload(caller, app, { fileSize: 4, sha256: '0'.repeat(64) });
    await assert.rejects(
      service.completeUpload(app, presigned.bundle.release.id),
      (e) => e instanceof Conflict && e.reason === 'upload_pending' && /not received yet/.test(faceErrorMessage(e, 'koolbase')),
    );
    store.objects.set(presigned.slot.objectKey, Buffer.from('abcd'));
    assert.equal(await artifactService.ingest({ key: presigned.slot.objectKey }), 'rejected');
    await assert.rejects(
      service.completeUpload(app, presigned.bundle.release.id),
      (e) => e instanceof Invalid && e.reason === 'upload_refused' && /^bundle rejected: SHA-256/.test(faceErrorMessage(e, 'koolbase')),
    );
    assert.deepEqual(await service.list(app), []);
    assert.equal(releases.releases.size, 0, 'the rejected bundle is gone');

    const good = await service.requestUpload(caller, app, { fileSize: 4 });
    store.objects.set(good.slot.objectKey, Buffer.from('abcd'));
    await artifactService.ingest({ key: good.slot.objectKey });
    const completed = await service.completeUpload(app, good.bundle.release.id);
    assert.deepEqual([completed.version, completed.artifact.size, completed.active], [2, 4, false]);
  });

  it('activates exactly one bundle per channel: the others of the channel are yanked, other channels untouched, and the check serves it', async () => {
    const { service, app, upload, check } = fixture();
    const { key } = await service.createKey(app);
    const one = await upload(undefined, 'one');
    const two = await upload(undefined, 'two!');
    const staging = await upload('staging', 'staged');
    await service.activate(app, staging.release.id);
    assert.equal((await service.activate(app, one.release.id)).active, true);
    const activated = await service.activate(app, two.release.id);
    assert.equal(activated.release.status, 'published');
    const listed = await service.list(app);
    assert.deepEqual(
      listed.map((b) => [b.channel, b.version, b.release.status, b.active]),
      [
        ['staging', 1, 'published', true],
        ['production', 2, 'published', true],
        ['production', 1, 'yanked', false],
      ],
    );
    const answer = check(key, { version: '1' });
    assert.equal(answer.status, 200);
    assert.deepEqual(
      { ...answer.body, download_url: typeof answer.body.download_url },
      {
        has_update: true,
        version: 2,
        checksum: `sha256:${two.artifact.sha256}`,
        mandatory: false,
        download_url: 'string',
        release_notes: null,
        file_size: 4,
      },
    );
    assert.deepEqual(check(key, { version: '2' }).body, { has_update: false });
    assert.equal(check(key, { channel: 'staging' }).body.version, 1);
  });

  it('sets a bundle mandatory, in the check too once it is active', async () => {
    const { service, app, upload, check } = fixture();
    const { key } = await service.createKey(app);
    const bundle = await upload();
    await service.setMandatory(app, bundle.release.id, true);
    await service.activate(app, bundle.release.id);
    assert.equal(check(key).body.mandatory, true);
    await service.setMandatory(app, bundle.release.id, false);
    assert.equal(check(key).body.mandatory, false);
    assert.equal((await service.list(app))[0]?.release.critical, false);
  });

  it('deletes a bundle out of the check first; a release of another face is no bundle (404)', async () => {
    const { service, app, upload, check, releaseService, releases } = fixture();
    const { key } = await service.createKey(app);
    const bundle = await upload();
    await service.activate(app, bundle.release.id);
    await service.delete(app, bundle.release.id);
    assert.deepEqual(check(key).body, { has_update: false });
    assert.deepEqual(await service.list(app), []);
    assert.equal(releases.releases.has(bundle.release.id), false);
    await assert.rejects(service.activate(app, bundle.release.id), (e) => e instanceof NotFound && e.message === 'bundle not found');
    const native = await releaseService.create(app, { version: '7.0.0' });
    await assert.rejects(service.activate(app, native.release.id), (e) => e instanceof NotFound);
    await assert.rejects(service.delete(app, 'not-an-id'), (e) => e instanceof NotFound);
  });
});

describe('Koolbase SDK keys through the check (with in-memory fakes)', () => {
  it('answers a key limited to a channel for that channel only, and refuses an unknown or revoked key', async () => {
    const { service, app, upload, check } = fixture();
    const staging = await upload('staging');
    await service.activate(app, staging.release.id);
    const limited = await service.createKey(app, 'staging');
    assert.equal(limited.record.channel, 'staging');
    assert.ok(!JSON.stringify(limited.record).includes(limited.key), 'only a hash of the key is kept');
    assert.equal(check(limited.key, { channel: 'staging' }).body.version, 1);
    assert.equal(check(limited.key).status, 403, 'production is not its channel');
    assert.equal(check('pk_live_unknown').status, 401);
    await service.deleteKey(app, limited.record.id);
    assert.deepEqual(check(limited.key, { channel: 'staging' }).body, { error: 'invalid api key' });
    await assert.rejects(service.deleteKey(app, limited.record.id), (e) => e instanceof NotFound);
  });

  it(`keeps at most ${MAX_KEYS_PER_PROJECT} keys per project`, async () => {
    const { service, app } = fixture();
    for (let i = 0; i < MAX_KEYS_PER_PROJECT; i++) await service.createKey(app);
    await assert.rejects(service.createKey(app), (e) => e instanceof Conflict && /at most 50 api keys/.test(e.message));
    assert.equal((await service.listKeys(app)).length, MAX_KEYS_PER_PROJECT);
  });

  it('rotates a key: both work during the grace period, then only the new one', async () => {
    const { service, app, check, clock } = fixture();
    const old = await service.createKey(app);
    const rotated = await service.rotateKey(app, old.record.id, 600);
    assert.equal(check(old.key).status, 200);
    assert.equal(check(rotated.key).status, 200);
    assert.ok(check(old.key).edgeTtl <= 60);
    await assert.rejects(service.rotateKey(app, old.record.id, 600), (e) => e instanceof Conflict && /already rotated/.test(e.message));
    clock.ms += 601_000;
    assert.deepEqual(check(old.key).body, { error: 'api key expired' });
    assert.equal(check(rotated.key).status, 200);
    assert.deepEqual(
      (await service.listKeys(app)).map((k) => k.id),
      [rotated.record.id],
    );
  });
});
