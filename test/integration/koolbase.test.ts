import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { type Reply, useLocalService } from '../support/local-service.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Koolbase's OTA API replayed from its documentation (seed 002) and reference, against the local stack. */
describe('the Koolbase face', () => {
  const fixture = useLocalService();

  async function project(name: string, token = fixture.token): Promise<string> {
    const app = await fixture.service.request('POST', '/api/sync/ota/apps', { token, body: { name } });
    assert.equal(app.status, 201, app.text);
    return app.json.id as string;
  }

  /** `curl -F bundle=@… -F channel=… -F mandatory=… -F release_notes=…` */
  async function upload(projectId: string, bytes: Uint8Array, fields: Record<string, string> = {}, token = fixture.token): Promise<Reply> {
    const form = new FormData();
    form.append('bundle', new Blob([bytes], { type: 'application/zip' }), 'my_bundle.zip');
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return multipart('POST', `/v1/projects/${projectId}/ota/upload`, form, token);
  }

  async function multipart(method: string, path: string, form: FormData, token = fixture.token): Promise<Reply> {
    const response = await fetch(`${fixture.service.url}${path}`, { method, body: form, headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
  }

  const dashboard = (method: string, path: string, body?: unknown, token = fixture.token) =>
    fixture.service.request(method, path, { token, ...(body === undefined ? {} : { body }) });

  /** `curl "…/v1/sdk/ota/check?channel=…&version=…" -H "x-api-key: pk_live_…"` */
  const check = (key: string | undefined, query = '') =>
    fixture.service.request('GET', `/v1/sdk/ota/check?${query.replace(/^\?/, '')}`, {
      headers: key === undefined ? {} : { 'x-api-key': key },
    });

  async function newKey(projectId: string, body: Record<string, unknown> = {}): Promise<string> {
    const created = await dashboard('POST', `/v1/projects/${projectId}/ota/keys`, body);
    assert.equal(created.status, 201, created.text);
    return created.json.key as string;
  }

  it('uploads, activates, serves and deletes bundles as the documented examples show', async () => {
    const projectId = await project('koolbase-docs');
    const first = randomBytes(630);
    const uploaded = await upload(projectId, first, {
      channel: 'production',
      mandatory: 'false',
      release_notes: 'Updated banner and config',
    });
    assert.equal(uploaded.status, 201, uploaded.text);
    const bundle = uploaded.json;
    assert.deepEqual(Object.keys(bundle).sort(), [
      'active',
      'channel',
      'checksum',
      'created_at',
      'file_size',
      'halted', // ours (null unless a halt rule stopped it); Koolbase's clients ignore fields they do not know
      'id',
      'mandatory',
      'project_id',
      'release_notes',
      'storage_path',
      'updated_at',
      'version',
    ]);
    assert.equal(bundle.halted, null);
    assert.equal(bundle.project_id, projectId);
    assert.equal(bundle.channel, 'production');
    assert.equal(bundle.version, 1);
    assert.equal(bundle.checksum, `sha256:${sha256(first)}`);
    assert.equal(bundle.file_size, 630);
    assert.equal(bundle.mandatory, false);
    assert.equal(bundle.active, false);
    assert.equal(bundle.release_notes, 'Updated banner and config');
    assert.match(bundle.storage_path, /^ota\//);
    assert.match(bundle.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    // The bundle is a release on the one release model: a draft with one zip for any platform and arch.
    const release = await fixture.api('GET', `/apps/${projectId}/releases/${bundle.id}`);
    assert.equal(release.status, 200, release.text);
    assert.equal(release.json.status, 'draft');
    assert.equal(release.json.channel, 'production');

    const key = await newKey(projectId);
    assert.match(key, /^pk_live_[A-Za-z0-9_-]{43}$/);

    const noKey = await check(undefined, '?channel=production&version=0');
    assert.equal(noKey.status, 401);
    assert.deepEqual(noKey.json, { error: 'x-api-key required' });
    const badKey = await check('pk_live_xxxx', '?channel=production&version=0');
    assert.equal(badKey.status, 401);
    assert.deepEqual(badKey.json, { error: 'invalid api key' });
    assert.deepEqual((await check(key, '?channel=production&version=0')).json, { has_update: false }, 'not active yet');

    const activated = await dashboard('POST', `/v1/projects/${projectId}/ota/bundles/${bundle.id}/activate`);
    assert.equal(activated.status, 200, activated.text);
    assert.equal(activated.json.active, true);
    assert.equal(activated.json.id, bundle.id);

    const offered = await check(key, '?channel=production&version=0');
    assert.equal(offered.status, 200, offered.text);
    assert.deepEqual(Object.keys(offered.json).sort(), [
      'checksum',
      'download_url',
      'file_size',
      'has_update',
      'mandatory',
      'release_notes',
      'version',
    ]);
    assert.equal(offered.json.has_update, true);
    assert.equal(offered.json.version, 1);
    assert.equal(offered.json.checksum, bundle.checksum);
    assert.equal(offered.json.mandatory, false);
    assert.equal(offered.json.release_notes, 'Updated banner and config');
    assert.equal(offered.json.file_size, 630);
    assert.match(offered.headers.get('cache-control') ?? '', /s-maxage=60/);
    // The Flutter SDK: a plain GET with redirects followed, then SHA-256 against the checksum without its prefix.
    const artifactId = new URL(offered.json.download_url).pathname.split('/')[4];
    assert.equal(offered.json.download_url, `${fixture.service.url}/files/${projectId}/${bundle.id}/${artifactId}/v1.zip`);
    const link = await fixture.service.request('GET', `/files/${projectId}/${bundle.id}/${artifactId}/v1.zip`);
    assert.equal(link.status, 302, 'the by-app-id file link redirects to the bytes');
    const download = await fetch(offered.json.download_url, { redirect: 'follow' });
    assert.equal(download.status, 200, offered.json.download_url);
    assert.equal(`sha256:${sha256(new Uint8Array(await download.arrayBuffer()))}`, offered.json.checksum);

    assert.deepEqual((await check(key, '?version=1')).json, { has_update: false }, 'channel defaults to production; same version');
    assert.equal((await check(key, '?version=banana')).json.version, 1, 'an unparsable version counts as 0');
    assert.equal((await check(key)).json.has_update, true, 'a missing version counts as 0');
    assert.deepEqual((await check(key, '?channel=staging&version=0')).json, { has_update: false }, 'nothing active on staging');

    // A second bundle of the channel counts up; activating it takes the first one out.
    const second = randomBytes(1024);
    const next = await upload(projectId, second, { mandatory: 'true' });
    assert.equal(next.status, 201, next.text);
    assert.equal(next.json.version, 2);
    assert.equal(next.json.channel, 'production', 'channel defaults to production');
    assert.equal(next.json.mandatory, true, 'the string "true" is true');
    assert.equal(next.json.release_notes, null);
    assert.equal((await dashboard('POST', `/v1/projects/${projectId}/ota/bundles/${next.json.id}/activate`)).status, 200);
    const list = await dashboard('GET', `/v1/projects/${projectId}/ota/bundles`);
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.json.map((b: { version: number; active: boolean }) => [b.version, b.active]),
      [
        [2, true],
        [1, false],
      ],
    );
    const served = await check(key, '?channel=production&version=1');
    assert.equal(served.json.version, 2);
    assert.equal(served.json.mandatory, true);
    assert.equal(served.json.checksum, `sha256:${sha256(second)}`);
    const oldRelease = await fixture.api('GET', `/apps/${projectId}/releases/${bundle.id}`);
    assert.equal(oldRelease.json.status, 'yanked', 'the bundle it replaced is out of the release model too');

    // Mandatory toggles (204); the check follows.
    assert.equal((await dashboard('PATCH', `/v1/projects/${projectId}/ota/bundles/${next.json.id}`, { mandatory: false })).status, 204);
    assert.equal((await check(key, '?version=0')).json.mandatory, false);
    assert.equal((await dashboard('PATCH', `/v1/projects/${projectId}/ota/bundles/${next.json.id}`, { mandatory: 'yes' })).status, 400);
    const unknownPatch = await dashboard('PATCH', `/v1/projects/${projectId}/ota/bundles/01ARZ3NDEKTSV4RRFFQ69G5FAV`, { mandatory: true });
    assert.equal(unknownPatch.status, 404);
    assert.equal(typeof unknownPatch.json.error, 'string');
    assert.equal((await dashboard('POST', `/v1/projects/${projectId}/ota/bundles/01ARZ3NDEKTSV4RRFFQ69G5FAV/activate`)).status, 404);
    // Whatever its format, an unknown bundle is Koolbase's 404, never a 400 for the id's shape.
    for (const id of ['not-a-ulid', '42', 'x'.repeat(300)]) {
      const bundlePath = `/v1/projects/${projectId}/ota/bundles/${id}`;
      for (const [method, path, body] of [
        ['POST', `${bundlePath}/activate`, undefined],
        ['PATCH', bundlePath, { mandatory: true }],
        ['DELETE', bundlePath, undefined],
      ] as const) {
        const reply = await dashboard(method, path, body);
        assert.equal(reply.status, 404, `${method} ${id.slice(0, 12)}: ${reply.text}`);
        assert.deepEqual(reply.json, { error: 'bundle not found' });
      }
    }

    // Rolling back: activating the first bundle again serves it (to clients below it).
    assert.equal((await dashboard('POST', `/v1/projects/${projectId}/ota/bundles/${bundle.id}/activate`)).status, 200);
    assert.equal((await check(key, '?version=0')).json.version, 1);

    // Delete: 204, gone from the list, the check and storage.
    const storedKey = bundle.storage_path as string;
    assert.equal((await dashboard('DELETE', `/v1/projects/${projectId}/ota/bundles/${bundle.id}`)).status, 204);
    assert.deepEqual(
      (await dashboard('GET', `/v1/projects/${projectId}/ota/bundles`)).json.map((b: { version: number }) => b.version),
      [2],
    );
    assert.deepEqual((await check(key, '?version=0')).json, { has_update: false }, 'the deleted bundle was the active one');
    assert.equal((await dashboard('DELETE', `/v1/projects/${projectId}/ota/bundles/${bundle.id}`)).status, 404);
    assert.equal(await objectExists(storedKey), false, 'the stored object is removed');
  });

  it('keeps keys as hashes: listed without the secret, limited to a channel, dead once deleted', async () => {
    const projectId = await project('koolbase-keys');
    const up = await upload(projectId, randomBytes(100), { channel: 'staging' });
    assert.equal(up.status, 201, up.text);
    assert.equal(up.json.version, 1, 'versions count per channel');
    assert.equal((await dashboard('POST', `/v1/projects/${projectId}/ota/bundles/${up.json.id}/activate`)).status, 200);
    const prod = await upload(projectId, randomBytes(100));
    assert.equal(prod.json.version, 1, 'production counts on its own');
    assert.equal((await dashboard('POST', `/v1/projects/${projectId}/ota/bundles/${prod.json.id}/activate`)).status, 200);

    const created = await dashboard('POST', `/v1/projects/${projectId}/ota/keys`, { channel: 'staging' });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.channel, 'staging');
    const stagingKey = created.json.key as string;
    const anyKey = await newKey(projectId);

    const keys = await dashboard('GET', `/v1/projects/${projectId}/ota/keys`);
    assert.equal(keys.status, 200);
    assert.equal(keys.json.length, 2);
    for (const listed of keys.json) {
      assert.deepEqual(Object.keys(listed).sort(), ['channel', 'created_at', 'expires_at', 'id', 'prefix', 'replaced_by']);
      assert.equal(listed.expires_at, null, 'a key that was never rotated does not expire');
      assert.ok(!keys.text.includes(stagingKey.slice(12)) && !keys.text.includes(anyKey.slice(12)), 'no secret in the list');
      assert.ok(!keys.text.includes(createHash('sha256').update(stagingKey).digest('hex')), 'no hash either');
    }

    assert.equal((await check(stagingKey, '?channel=staging&version=0')).json.version, 1);
    // Production has an active bundle too: the staging key must not see it, by channel or by default.
    for (const query of ['?channel=production&version=0', '?version=0']) {
      const refused = await check(stagingKey, query);
      assert.equal(refused.status, 403, `a channel-limited key refuses other channels (${query})`);
      assert.deepEqual(refused.json, { error: 'api key is limited to channel "staging"' });
    }
    assert.equal((await check(anyKey, '?channel=staging&version=0')).json.version, 1);
    const production = await check(anyKey, '?channel=production&version=0');
    assert.equal(production.json.checksum, prod.json.checksum, 'an unlimited key sees production');

    assert.equal((await dashboard('DELETE', `/v1/projects/${projectId}/ota/keys/${created.json.id}`)).status, 204);
    const revoked = await check(stagingKey, '?channel=staging&version=0');
    assert.equal(revoked.status, 401);
    assert.deepEqual(revoked.json, { error: 'invalid api key' });
    // Answered by the edge itself (the key's state says deleted): uncacheable, no function ran, nothing was purged.
    assert.equal(revoked.headers.get('cache-control'), 'no-store', 'the edge refused it, not the origin');
    assert.equal((await dashboard('DELETE', `/v1/projects/${projectId}/ota/keys/${created.json.id}`)).status, 404);
    assert.equal((await dashboard('GET', `/v1/projects/${projectId}/ota/keys`)).json.length, 1);
    assert.equal((await check(anyKey, '?channel=staging&version=0')).status, 200, 'other keys keep working');

    const emptyProject = await project('koolbase-empty');
    assert.deepEqual((await dashboard('GET', `/v1/projects/${emptyProject}/ota/bundles`)).json, []);
    assert.deepEqual((await dashboard('GET', `/v1/projects/${emptyProject}/ota/keys`)).json, []);
  });

  it('rotates a key: old and new work during the grace period, then the old one answers 401; grace 0 ends it at once', async () => {
    const projectId = await project('koolbase-rotate');
    const up = await upload(projectId, randomBytes(64), { channel: 'staging' });
    assert.equal((await dashboard('POST', `/v1/projects/${projectId}/ota/bundles/${up.json.id}/activate`)).status, 200);
    const created = await dashboard('POST', `/v1/projects/${projectId}/ota/keys`, { channel: 'staging' });
    assert.equal(created.status, 201, created.text);
    const oldKey = created.json.key as string;

    const rotated = await dashboard('POST', `/v1/projects/${projectId}/ota/keys/${created.json.id}/rotate`, { grace_seconds: 4 });
    assert.equal(rotated.status, 201, rotated.text);
    assert.deepEqual(Object.keys(rotated.json).sort(), Object.keys(created.json).sort(), 'the shape of key creation');
    assert.match(rotated.json.key, /^pk_live_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(rotated.json.key, oldKey);
    assert.equal(rotated.json.channel, 'staging', 'the channel limit carries over');
    assert.equal(rotated.json.expires_at, null);
    const newKey = rotated.json.key as string;

    // Both keys work, and the old key's answers are not cached past its end.
    const viaOld = await check(oldKey, '?channel=staging&version=0');
    assert.equal(viaOld.status, 200, viaOld.text);
    assert.equal(viaOld.json.version, 1);
    const oldTtl = Number(/s-maxage=(\d+)/.exec(viaOld.headers.get('cache-control') ?? '')?.[1]);
    assert.ok(oldTtl <= 4, `the old key's answer is cached ${oldTtl} s at most, within its grace`);
    const viaNew = await check(newKey, '?channel=staging&version=0');
    assert.equal(viaNew.json.version, 1);
    assert.match(viaNew.headers.get('cache-control') ?? '', /s-maxage=60/);
    assert.equal((await check(newKey, '?channel=production&version=0')).status, 403, 'still limited to staging');

    const listed = await dashboard('GET', `/v1/projects/${projectId}/ota/keys`);
    const oldListed = listed.json.find((k: { id: string }) => k.id === created.json.id);
    assert.match(oldListed.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(oldListed.replaced_by, rotated.json.id);
    assert.equal(listed.json.find((k: { id: string }) => k.id === rotated.json.id).expires_at, null);

    const again = await dashboard('POST', `/v1/projects/${projectId}/ota/keys/${created.json.id}/rotate`, { grace_seconds: 60 });
    assert.equal(again.status, 409, 'a key already being replaced is not rotated twice');
    assert.match(again.json.error, /already rotated/);

    // After the grace period: the old key is refused (before DynamoDB's TTL removes its item), the new one works.
    const end = Date.parse(oldListed.expires_at);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, end - Date.now()) + 100));
    const expired = await check(oldKey, '?channel=staging&version=0');
    assert.equal(expired.status, 401);
    assert.deepEqual(expired.json, { error: 'api key expired' });
    assert.equal((await check(newKey, '?channel=staging&version=0')).json.version, 1);
    assert.deepEqual(
      (await dashboard('GET', `/v1/projects/${projectId}/ota/keys`)).json.map((k: { id: string }) => k.id),
      [rotated.json.id],
    );
    const gone = await dashboard('POST', `/v1/projects/${projectId}/ota/keys/${created.json.id}/rotate`, { grace_seconds: 60 });
    assert.equal(gone.status, 404, 'an expired key is no longer there to rotate');

    // Grace 0: the replaced key stops at once.
    const immediate = await dashboard('POST', `/v1/projects/${projectId}/ota/keys/${rotated.json.id}/rotate`, { grace_seconds: 0 });
    assert.equal(immediate.status, 201, immediate.text);
    const killed = await check(newKey, '?channel=staging&version=0');
    assert.equal(killed.status, 401);
    assert.deepEqual(killed.json, { error: 'invalid api key' });
    assert.equal((await check(immediate.json.key, '?channel=staging&version=0')).json.version, 1);

    // No grace given: a day.
    const byDefault = await dashboard('POST', `/v1/projects/${projectId}/ota/keys/${immediate.json.id}/rotate`, {});
    assert.equal(byDefault.status, 201, byDefault.text);
    const later = (await dashboard('GET', `/v1/projects/${projectId}/ota/keys`)).json.find(
      (k: { id: string }) => k.id === immediate.json.id,
    );
    const day = Date.parse(later.expires_at) - Date.now();
    assert.ok(day > 24 * 3600 * 1000 - 60_000 && day <= 24 * 3600 * 1000 + 1000, `expires in ${day} ms`);
    assert.equal((await check(immediate.json.key, '?channel=staging&version=0')).status, 200);
  });

  it("refuses bad grace periods in Koolbase's error shape, and another owner's project as not found", async () => {
    const projectId = await project('koolbase-rotate-bad');
    const created = await dashboard('POST', `/v1/projects/${projectId}/ota/keys`, {});
    const rotate = `/v1/projects/${projectId}/ota/keys/${created.json.id}/rotate`;
    for (const grace of [-1, 1.5, '60', 30 * 24 * 3600 + 1, null, true]) {
      const bad = await dashboard('POST', rotate, { grace_seconds: grace });
      assert.equal(bad.status, 400, `${JSON.stringify(grace)}: ${bad.text}`);
      assert.deepEqual(Object.keys(bad.json), ['error'], 'Koolbase\'s {"error": "<message>"}');
      assert.match(bad.json.error, /^grace_seconds: /);
    }
    const notJson = await fixture.service.request('POST', rotate, { token: fixture.token, rawBody: 'grace=1' });
    assert.equal(notJson.status, 400);
    assert.equal(typeof notJson.json.error, 'string');
    assert.equal((await dashboard('POST', rotate, { grace_seconds: 30 * 24 * 3600 })).status, 201, 'thirty days is the longest');

    const unknown = await dashboard('POST', `/v1/projects/${projectId}/ota/keys/01ARZ3NDEKTSV4RRFFQ69G5FAV/rotate`, { grace_seconds: 60 });
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.json, { error: 'api key not found' });

    const other = await fixture.service.newAccountToken('koolbase-rotate-other');
    const stolen = await dashboard('POST', rotate, { grace_seconds: 0 }, other);
    assert.equal(stolen.status, 404, stolen.text);
    assert.equal(typeof stolen.json.error, 'string');
    assert.equal((await fixture.service.request('POST', rotate, { body: { grace_seconds: 0 } })).status, 401, 'anonymous');
    assert.equal(
      (await check(created.json.key, '?version=0')).status,
      200,
      'the key still works: in its 30-day grace, and untouched by the refused calls',
    );
  });

  it('deleting the project (the app) ends its keys: the check answers 401, as for a key that never existed', async () => {
    const projectId = await project('koolbase-deleted');
    const up = await upload(projectId, randomBytes(64));
    assert.equal((await dashboard('POST', `/v1/projects/${projectId}/ota/bundles/${up.json.id}/activate`)).status, 200);
    const key = await newKey(projectId);
    assert.equal((await check(key, 'channel=production&version=0')).json.has_update, true);
    const deleted = await dashboard('DELETE', `/api/sync/ota/apps/${projectId}`);
    assert.equal(deleted.status, 202, deleted.text);
    const after = await check(key, 'channel=production&version=0');
    assert.equal(after.status, 401);
    assert.deepEqual(after.json, { error: 'invalid api key' });
  });

  it("answers another owner's project as not found and refuses bad uploads", async () => {
    const projectId = await project('koolbase-owned');
    const other = await fixture.service.newAccountToken('koolbase-other');
    const stolen = await upload(projectId, randomBytes(10), {}, other);
    assert.equal(stolen.status, 404);
    assert.equal(typeof stolen.json.error, 'string');
    assert.equal((await dashboard('GET', `/v1/projects/${projectId}/ota/bundles`, undefined, other)).status, 404);
    assert.equal((await dashboard('POST', `/v1/projects/${projectId}/ota/keys`, {}, other)).status, 404);

    const form = new FormData();
    form.append('channel', 'production');
    const missing = await multipart('POST', `/v1/projects/${projectId}/ota/upload`, form);
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.json, { error: 'bundle file is required' });
    assert.equal((await upload(projectId, randomBytes(10), { channel: 'no/slash' })).status, 400);

    const unauthenticated = await fixture.service.request('GET', `/v1/projects/${projectId}/ota/bundles`);
    assert.equal(unauthenticated.status, 401);
    assert.equal(typeof unauthenticated.json.error, 'string');
  });

  it('answers a body over the request limit with 413 naming the presigned path, which takes a 20 MB bundle', async () => {
    const projectId = await project('koolbase-large');
    // Over what one function invocation takes (4 MB), under API Gateway's own 10 MB quota.
    const tooLarge = await upload(projectId, randomBytes(6 * 1024 * 1024));
    assert.equal(tooLarge.status, 413);
    assert.match(tooLarge.json.error, /^bundle too large \(max 50MB\)/);
    assert.match(tooLarge.json.error, /\/ota\/uploads/);

    const big = randomBytes(20 * 1024 * 1024);
    const overLimit = await dashboard('POST', `/v1/projects/${projectId}/ota/uploads`, { file_size: 50 * 1024 * 1024 + 1 });
    assert.equal(overLimit.status, 413);
    assert.deepEqual(overLimit.json, { error: 'bundle too large (max 50MB)' });

    const slot = await dashboard('POST', `/v1/projects/${projectId}/ota/uploads`, {
      channel: 'production',
      mandatory: true,
      release_notes: 'big one',
      file_size: big.length,
      sha256: sha256(big),
    });
    assert.equal(slot.status, 201, slot.text);
    assert.equal(slot.json.version, 1);
    const early = await dashboard('POST', `/v1/projects/${projectId}/ota/uploads/${slot.json.bundle_id}/complete`);
    assert.equal(early.status, 409, 'not uploaded yet');
    assert.equal(typeof early.json.error, 'string');
    const put = await fetch(slot.json.upload_url, { method: 'PUT', body: big });
    assert.equal(put.status, 200);
    await fixture.service.stack.ingestIdle();
    const done = await dashboard('POST', `/v1/projects/${projectId}/ota/uploads/${slot.json.bundle_id}/complete`);
    assert.equal(done.status, 201, done.text);
    assert.equal(done.json.id, slot.json.bundle_id);
    assert.equal(done.json.file_size, big.length);
    assert.equal(done.json.checksum, `sha256:${sha256(big)}`);
    assert.equal(done.json.mandatory, true);
    assert.equal(done.json.active, false);

    assert.equal((await dashboard('POST', `/v1/projects/${projectId}/ota/bundles/${done.json.id}/activate`)).status, 200);
    const key = await newKey(projectId);
    const offered = await check(key, '?version=0');
    assert.equal(offered.json.file_size, big.length);
    const download = await fetch(offered.json.download_url, { redirect: 'follow' });
    assert.equal(download.status, 200);
    assert.equal(`sha256:${sha256(new Uint8Array(await download.arrayBuffer()))}`, offered.json.checksum);

    // A PUT that does not match what was declared is rejected: the draft goes, the client gets the reason.
    const wrong = await dashboard('POST', `/v1/projects/${projectId}/ota/uploads`, { file_size: 16, sha256: 'a'.repeat(64) });
    assert.equal((await fetch(wrong.json.upload_url, { method: 'PUT', body: randomBytes(16) })).status, 200);
    await fixture.service.stack.ingestIdle();
    const rejected = await dashboard('POST', `/v1/projects/${projectId}/ota/uploads/${wrong.json.bundle_id}/complete`);
    assert.equal(rejected.status, 400);
    assert.match(rejected.json.error, /^bundle rejected/);
  });

  async function objectExists(key: string): Promise<boolean> {
    const { artifactStore } = await import('../../shared/services/container.js');
    return (await artifactStore().head(key)) !== undefined;
  }
});
