import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createPublishedApp, LocalService, TEST_SIGNATURE, uploadArtifact } from '../support/local-service.js';

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

    // Signed, so the Tauri check below may offer it.
    const retry = await slot(releaseId, { target: 'windows', arch: 'x86_64', file_size: good.length, sha256, signature: TEST_SIGNATURE });
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

  it('takes a large file in parts (multipart), resumable, and verifies it like a single PUT', async () => {
    const releaseId = await newRelease('2.0.0');
    const data = randomBytes(20 * 1024 * 1024);
    const started = await slot(releaseId, {
      target: 'linux',
      arch: 'x86_64',
      package: 'appimage',
      file_size: data.length,
      multipart: true,
    });
    assert.equal(started.status, 201, started.text);
    const multipart = started.json.multipart;
    assert.equal(multipart.part_size, 8 * 1024 * 1024);
    assert.equal(multipart.part_count, 3);
    const part = (n: number) => data.subarray((n - 1) * multipart.part_size, n * multipart.part_size);
    const etags = new Map<number, string>();
    const put = async (n: number, url: string) => {
      const reply = await fetch(url, { method: 'PUT', body: part(n) });
      assert.equal(reply.status, 200);
      etags.set(n, reply.headers.get('etag') as string);
    };
    await put(1, multipart.parts[0].upload_url);
    // The client stops here; later it asks for a fresh URL of what is missing.
    const resumed = await service.request(
      'POST',
      `/api/sync/ota/apps/${appId}/releases/${releaseId}/artifacts/${started.json.artifact_id}/parts`,
      {
        token,
        body: { upload_id: multipart.upload_id, part_numbers: [2, 3] },
      },
    );
    assert.equal(resumed.status, 200, resumed.text);
    for (const p of resumed.json.parts) await put(p.part_number, p.upload_url);
    const complete = await service.request(
      'POST',
      `/api/sync/ota/apps/${appId}/releases/${releaseId}/artifacts/${started.json.artifact_id}/complete`,
      {
        token,
        body: { upload_id: multipart.upload_id, parts: [...etags].map(([part_number, etag]) => ({ part_number, etag })) },
      },
    );
    assert.equal(complete.status, 202, complete.text);
    await service.stack.ingestIdle();
    const artifact = (
      await service.request('GET', `/api/sync/ota/apps/${appId}/releases/${releaseId}/artifacts/${started.json.artifact_id}`, { token })
    ).json;
    assert.equal(artifact.status, 'ready', JSON.stringify(artifact));
    assert.equal(artifact.sha256, createHash('sha256').update(data).digest('hex'));

    // An upload can be abandoned; its parts go.
    const other = await newRelease('2.1.0');
    const second = await slot(other, { target: 'linux', arch: 'x86_64', file_size: data.length, multipart: true });
    const abort = await service.request(
      'POST',
      `/api/sync/ota/apps/${appId}/releases/${other}/artifacts/${second.json.artifact_id}/abort`,
      {
        token,
        body: { upload_id: second.json.multipart.upload_id },
      },
    );
    assert.equal(abort.status, 204);
  });

  it('a completion naming parts never uploaded, a wrong ETag or an unknown upload is a 4xx, and the stack stays up', async () => {
    // Found by `npm run fuzz`: s3rver took such a completion down with the whole local stack.
    const releaseId = await newRelease('3.0.0');
    const started = await slot(releaseId, { target: 'linux', arch: 'x86_64', file_size: 12 * 1024 * 1024, multipart: true });
    assert.equal(started.status, 201, started.text);
    const { upload_id, parts } = started.json.multipart;
    const complete = (body: unknown) =>
      service.request('POST', `/api/sync/ota/apps/${appId}/releases/${releaseId}/artifacts/${started.json.artifact_id}/complete`, {
        token,
        body,
      });

    const never = await complete({ upload_id, parts: [{ part_number: 1, etag: '"0123456789abcdef"' }] });
    assert.equal(never.status, 400, never.text);
    assert.match(never.json.error.message, /could not be found/);

    const put = await fetch(parts[0].upload_url, { method: 'PUT', body: randomBytes(8 * 1024 * 1024) });
    assert.equal(put.status, 200);
    const etag = put.headers.get('etag') as string;
    const wrongTag = await complete({ upload_id, parts: [{ part_number: 1, etag: '"ffffffffffffffffffffffffffffffff"' }] });
    assert.equal(wrongTag.status, 400, wrongTag.text);
    const missingSecond = await complete({
      upload_id,
      parts: [
        { part_number: 1, etag },
        { part_number: 2, etag },
      ],
    });
    assert.equal(missingSecond.status, 400, missingSecond.text);

    for (const unknown of ['no-such-upload', '../../artifact-app', '..']) {
      const reply = await complete({ upload_id: unknown, parts: [{ part_number: 1, etag }] });
      assert.equal(reply.status, 404, `${unknown}: ${reply.text}`);
    }
    // Another artifact's upload id does not complete that upload through this artifact's path.
    const otherRelease = await newRelease('3.1.0');
    const other = await slot(otherRelease, { target: 'linux', arch: 'x86_64', file_size: 12 * 1024 * 1024, multipart: true });
    const crossed = await complete({ upload_id: other.json.multipart.upload_id, parts: [{ part_number: 1, etag }] });
    assert.equal(crossed.status, 404, crossed.text);

    assert.equal((await service.request('GET', '/health')).status, 200);
    const artifact = await service.request(
      'GET',
      `/api/sync/ota/apps/${appId}/releases/${releaseId}/artifacts/${started.json.artifact_id}`,
      {
        token,
      },
    );
    assert.equal(artifact.json.status, 'pending', 'still waiting for its parts');
  });
});
