import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createPublishedApp, LocalService, uploadArtifact } from '../support/local-service.js';

describe('artifact uploads: only the declared bytes are ever offered', () => {
  let service: LocalService;
  let token: string;
  let appId: string;

  before(async () => {
    service = await LocalService.start();
    token = await service.adminToken();
    appId = await createPublishedApp(service, token, 'artifact-app');
  });
  after(async () => {
    await service?.stop();
  });

  async function newRelease(version: string): Promise<string> {
    return (await service.request('POST', `/api/sync/ota/apps/${appId}/releases`, { token, body: { version } })).json.id;
  }

  async function slot(releaseId: string, body: Record<string, unknown>) {
    return service.request('POST', `/api/sync/ota/apps/${appId}/releases/${releaseId}/artifacts`, { token, body });
  }

  it('issues a presigned PUT whose signature covers the declared size and no empty-body checksum', async () => {
    const releaseId = await newRelease('1.0.0');
    const reply = await slot(releaseId, { target: 'darwin', arch: 'aarch64', file_size: 52_428_800 });
    assert.equal(reply.status, 201);
    // Uploads land in staging, under the artifact's id and this upload attempt; only ingest writes under ota/.
    assert.match(reply.json.s3_key, new RegExp(`^staging/${appId}/${releaseId}/${reply.json.artifact_id}/[0-9A-Z]{26}$`));
    const url = new URL(reply.json.upload_url);
    assert.deepEqual(url.searchParams.get('X-Amz-SignedHeaders')?.split(';').sort(), ['content-length', 'host']);
    assert.equal(url.searchParams.get('X-Amz-Expires'), '900');
    assert.equal(url.searchParams.get('x-amz-checksum-crc32'), null, 'SDK >= 3.729 would sign the CRC32 of an empty body');
    assert.ok(Date.parse(reply.json.expires_at) > Date.now());
  });

  it('an upload of another size than declared is rejected and never offered', async () => {
    // Real S3 refuses it already (content-length is signed, see above); s3rver does not check
    // signatures, which exercises the second line of defence: ingest compares sizes.
    const releaseId = await newRelease('1.1.0');
    const reply = await slot(releaseId, { target: 'linux', arch: 'x86_64', file_size: 1000 });
    await fetch(reply.json.upload_url, { method: 'PUT', body: randomBytes(999) });
    await service.stack.ingestIdle();
    const listed = await service.request('GET', `/api/sync/ota/apps/${appId}/releases`, { token });
    const artifact = listed.json.releases.find((r: { id: string }) => r.id === releaseId).artifacts[0];
    assert.equal(artifact.status, 'rejected');
    assert.equal(artifact.reason, 'uploaded 999 bytes, declared 1000');
    assert.equal((await service.request('GET', '/api/sync/ota/artifact-app/linux/x86_64/0.1.0')).status, 204);
    assert.equal((await service.request('GET', `/api/sync/ota/artifact-app/download/${releaseId}/linux/x86_64`)).status, 404);
  });

  it('rejects an upload whose SHA-256 differs from the declared one, and accepts a correct retry', async () => {
    const releaseId = await newRelease('1.2.0');
    const good = randomBytes(2048);
    const sha256 = createHash('sha256').update(good).digest('hex');
    const first = await slot(releaseId, { target: 'windows', arch: 'x86_64', file_size: good.length, sha256 });
    await fetch(first.json.upload_url, { method: 'PUT', body: randomBytes(2048) });
    await service.stack.ingestIdle();
    const listed = await service.request('GET', `/api/sync/ota/apps/${appId}/releases`, { token });
    const rejected = listed.json.releases.find((r: { id: string }) => r.id === releaseId).artifacts[0];
    assert.equal(rejected.status, 'rejected');
    assert.match(rejected.reason, /does not match the declared/);
    assert.equal((await service.request('GET', '/api/sync/ota/artifact-app/windows/x86_64/0.1.0')).status, 204);

    const retry = await slot(releaseId, { target: 'windows', arch: 'x86_64', file_size: good.length, sha256 });
    assert.equal(retry.status, 201, 'a rejected slot may be requested again');
    await fetch(retry.json.upload_url, { method: 'PUT', body: good });
    await service.stack.ingestIdle();
    const check = await service.request('GET', '/api/sync/ota/artifact-app/windows/x86_64/0.1.0');
    assert.equal(check.json.version, '1.2.0');
  });

  it('keeps a verified artifact immutable: no new slot, and a replayed upload URL changes nothing', async () => {
    const releaseId = await newRelease('1.3.0');
    const original = randomBytes(512);
    const uploadUrl = await uploadArtifact(service, token, appId, releaseId, { target: 'darwin', arch: 'x86_64', bytes: original });
    const again = await slot(releaseId, { target: 'darwin', arch: 'x86_64', file_size: 512 });
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'conflict');

    // The presigned URL is still valid for a few minutes; a second PUT must not become what ships.
    await fetch(uploadUrl, { method: 'PUT', body: randomBytes(512) });
    await service.stack.ingestIdle();
    const listed = await service.request('GET', `/api/sync/ota/apps/${appId}/releases`, { token });
    const artifact = listed.json.releases.find((r: { id: string }) => r.id === releaseId).artifacts[0];
    assert.equal(artifact.sha256, createHash('sha256').update(original).digest('hex'), 'the recorded hash is of the first upload');
  });

  it('an upload into a slot nobody asked for is discarded', async () => {
    const releaseId = await newRelease('1.4.0');
    const reply = await slot(releaseId, { target: 'linux', arch: 'aarch64', file_size: 10 });
    // Same bucket and signature scheme, another key: forge it by swapping the path.
    const forged = reply.json.upload_url.replace(reply.json.artifact_id, '01ARZ3NDEKTSV4RRFFQ69G5FAV');
    await fetch(forged, { method: 'PUT', body: randomBytes(10) });
    await service.stack.ingestIdle();
    assert.equal((await service.request('GET', '/api/sync/ota/artifact-app/linux/armv7/0.1.0')).status, 204);
  });
});
