import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createPublishedApp, LocalService, publishRelease, uploadArtifact } from '../support/local-service.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describe('SyncKit publish flow, as the seed documents it', () => {
  let service: LocalService;
  let token: string;

  before(async () => {
    service = await LocalService.start();
    token = await service.adminToken();
  });
  after(async () => {
    await service?.stop();
  });

  it('offers an uploaded release to older clients with the Tauri response shape, and 204 to current ones', async () => {
    const appId = await createPublishedApp(service, token, 'flow-app');
    const bytes = randomBytes(4096);
    const { releaseId } = await publishRelease(service, token, appId, {
      version: '1.2.0',
      notes: 'Bug fixes',
      signature: 'c2lnbmF0dXJl',
      bytes,
    });

    const check = await service.request('GET', '/api/sync/ota/flow-app/darwin/aarch64/1.1.0', { headers: { accept: 'application/json' } });
    assert.equal(check.status, 200);
    assert.deepEqual(Object.keys(check.json).sort(), ['notes', 'pub_date', 'signature', 'url', 'version']);
    assert.equal(check.json.version, '1.2.0');
    assert.equal(check.json.signature, 'c2lnbmF0dXJl');
    assert.equal(check.json.notes, 'Bug fixes');
    assert.match(check.json.pub_date, RFC3339);
    assert.equal(check.json.url, `${service.url}/api/sync/ota/flow-app/download/${releaseId}/darwin/aarch64`);

    for (const current of ['1.2.0', '1.3.0', '2.0.0-beta.1']) {
      const same = await service.request('GET', `/api/sync/ota/flow-app/darwin/aarch64/${current}`);
      assert.equal(same.status, 204, `current ${current}`);
      assert.equal(same.text, '');
    }
    const otherPlatform = await service.request('GET', '/api/sync/ota/flow-app/windows/x86_64/1.0.0');
    assert.equal(otherPlatform.status, 204, 'no artifact for windows/x86_64');
  });

  it('downloads exactly the uploaded bytes through a 302', async () => {
    const appId = await createPublishedApp(service, token, 'download-app');
    const bytes = randomBytes(10_000);
    const { releaseId } = await publishRelease(service, token, appId, { version: '0.2.0', target: 'linux', arch: 'x86_64', bytes });
    const redirect = await service.request('GET', `/api/sync/ota/download-app/download/${releaseId}/linux/x86_64`, {
      headers: { accept: 'application/octet-stream', 'x-custom': 'sent by the app' },
    });
    assert.equal(redirect.status, 302);
    const location = redirect.headers.get('location') as string;
    // Tauri sends the app's custom headers on the download too; the presigned URL must still work.
    const file = await fetch(location, { headers: { accept: 'application/octet-stream', 'x-custom': 'sent by the app' } });
    assert.equal(file.status, 200);
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), bytes);
  });

  it('does not offer a release until its artifact has arrived and been verified', async () => {
    const appId = await createPublishedApp(service, token, 'pending-app');
    const release = await service.request('POST', `/api/sync/ota/apps/${appId}/releases`, { token, body: { version: '1.0.0' } });
    const slot = await service.request('POST', `/api/sync/ota/apps/${appId}/releases/${release.json.id}/artifacts`, {
      token,
      body: { target: 'darwin', arch: 'aarch64', file_size: 100 },
    });
    assert.equal(slot.status, 201);
    const before = await service.request('GET', '/api/sync/ota/pending-app/darwin/aarch64/0.9.0');
    assert.equal(before.status, 204, 'nothing uploaded yet');
    const download = await service.request('GET', `/api/sync/ota/pending-app/download/${release.json.id}/darwin/aarch64`);
    assert.equal(download.status, 404);

    await uploadArtifact(service, token, appId, release.json.id, { bytes: randomBytes(100) });
    const afterUpload = await service.request('GET', '/api/sync/ota/pending-app/darwin/aarch64/0.9.0');
    assert.equal(afterUpload.status, 200);
    const listed = await service.request('GET', `/api/sync/ota/apps/${appId}/releases`, { token });
    const artifact = listed.json.releases[0].artifacts[0];
    assert.equal(artifact.status, 'ready');
    assert.match(artifact.sha256, /^[0-9a-f]{64}$/);
  });

  it('offers the highest release with a ready artifact for the platform, and falls back when one is deleted', async () => {
    const appId = await createPublishedApp(service, token, 'many-versions');
    const r100 = await publishRelease(service, token, appId, { version: '1.0.0', bytes: randomBytes(10) });
    const r110 = await publishRelease(service, token, appId, { version: '1.1.0', bytes: randomBytes(11) });
    await publishRelease(service, token, appId, { version: '1.0.5', bytes: randomBytes(12) });
    // 2.0.0 exists but only for windows: darwin clients must not get it.
    await publishRelease(service, token, appId, { version: '2.0.0', target: 'windows', arch: 'x86_64', bytes: randomBytes(13) });

    const check = await service.request('GET', '/api/sync/ota/many-versions/darwin/aarch64/1.0.0');
    assert.equal(check.json.version, '1.1.0');
    const windows = await service.request('GET', '/api/sync/ota/many-versions/windows/x86_64/1.0.0');
    assert.equal(windows.json.version, '2.0.0');

    const deleted = await service.request('DELETE', `/api/sync/ota/apps/${appId}/releases/${r110.releaseId}`, { token });
    assert.equal(deleted.status, 204);
    const fallback = await service.request('GET', '/api/sync/ota/many-versions/darwin/aarch64/1.0.0');
    assert.equal(fallback.json.version, '1.0.5');
    const gone = await service.request('GET', `/api/sync/ota/many-versions/download/${r110.releaseId}/darwin/aarch64`);
    assert.equal(gone.status, 404);
    const bytesGone = await fetch(r110.uploadUrl.split('?')[0] as string);
    assert.notEqual(bytesGone.status, 200, 'the deleted release’s object is removed from S3');

    const older = await service.request('GET', `/api/sync/ota/many-versions/download/${r100.releaseId}/darwin/aarch64`);
    assert.equal(older.status, 302, 'older releases stay downloadable');
    const again = await service.request('DELETE', `/api/sync/ota/apps/${appId}/releases/${r110.releaseId}`, { token });
    assert.equal(again.status, 404);
  });

  it('moves the public URL when the slug changes', async () => {
    const appId = await createPublishedApp(service, token, 'old-name');
    await publishRelease(service, token, appId, { version: '3.0.0', bytes: randomBytes(20) });
    const renamed = await service.request('PUT', `/api/sync/ota/apps/${appId}/slug`, { token, body: { slug: 'new-name' } });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.json.slug, 'new-name');
    assert.equal((await service.request('GET', '/api/sync/ota/new-name/darwin/aarch64/2.0.0')).json.version, '3.0.0');
    assert.equal((await service.request('GET', '/api/sync/ota/old-name/darwin/aarch64/2.0.0')).status, 404);
    // The freed slug can be claimed by another app (app names are unique per owner, slugs globally).
    const other = await createPublishedApp(service, token, 'old-name', 'another-app');
    assert.ok(other);
  });

  it('deletes an app with its releases and artifacts', async () => {
    const appId = await createPublishedApp(service, token, 'doomed-app');
    const { uploadUrl } = await publishRelease(service, token, appId, { version: '1.0.0', bytes: randomBytes(30) });
    const deleted = await service.request('DELETE', `/api/sync/ota/apps/${appId}`, { token });
    assert.equal(deleted.status, 202, deleted.text);
    assert.deepEqual([deleted.json.kind, deleted.json.state], ['app-delete', 'done'], 'a small app is deleted within the request');
    assert.equal((await service.request('GET', `/api/sync/ota/apps/${appId}`, { token })).status, 404);
    assert.equal((await service.request('GET', `/api/sync/ota/apps/${appId}/releases`, { token })).status, 404);
    assert.equal((await service.request('GET', '/api/sync/ota/doomed-app/darwin/aarch64/0.1.0')).status, 404);
    const listed = await service.request('GET', '/api/sync/ota/apps', { token });
    assert.ok(!listed.json.apps.some((a: { id: string }) => a.id === appId));
    assert.notEqual((await fetch(uploadUrl.split('?')[0] as string)).status, 200);
  });

  it('percent-decodes the current version Tauri sends', async () => {
    const appId = await createPublishedApp(service, token, 'encoded-app');
    await publishRelease(service, token, appId, { version: '1.0.1', bytes: randomBytes(5) });
    const check = await service.request('GET', '/api/sync/ota/encoded-app/darwin/aarch64/1.0.0%2Bbuild.7');
    assert.equal(check.status, 200);
    assert.equal(check.json.version, '1.0.1');
  });
});
