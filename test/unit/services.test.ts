import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinEntries, type CatalogKind } from '../../shared/domain/catalog.js';
import { Conflict } from '../../shared/domain/errors.js';
import type { App, Artifact } from '../../shared/domain/model.js';
import { ArtifactService, type ArtifactServiceStore, partSizeFor } from '../../shared/services/artifact-service.js';
import { ReleaseService, type ReleaseServiceCatalogs } from '../../shared/services/release-service.js';
import { measureStream } from '../../shared/storage/artifact-store.js';
import { objectKeys } from '../../shared/storage/keys.js';
import { FakeReleases } from './in-memory.js';

const T0 = '2026-01-01T00:00:00.000Z';
const APP_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const app: App = { id: APP_ID, name: 'App', ownerId: 'O', slug: 'app', defaultChannelId: 'stable', createdAt: T0, updatedAt: T0 };

/** In-memory catalogs with the built-in entries. */
function fakeCatalogs(): ReleaseServiceCatalogs {
  const entries = builtinEntries('O', T0);
  const find = (kind: CatalogKind, ref: string) => entries.find((e) => e.kind === kind && (e.name === ref || e.id === ref));
  return {
    findByName: async (_o, kind, name) => entries.find((e) => e.kind === kind && e.name === name),
    get: async (_o, kind, id) => find(kind, id),
    all: async () => ({
      channels: entries.filter((e) => e.kind === 'channel'),
      platforms: entries.filter((e) => e.kind === 'platform'),
      archs: entries.filter((e) => e.kind === 'arch'),
    }),
  };
}

/** An in-memory bucket: objects by key, with the calls ingest makes. */
class FakeStore implements ArtifactServiceStore {
  objects = new Map<string, Buffer>();
  deleted: string[] = [];
  uploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();
  async startMultipart(key: string) {
    const id = `upload-${this.uploads.size + 1}`;
    this.uploads.set(id, { key, parts: new Map() });
    return id;
  }
  async presignPart(key: string, uploadId: string, partNumber: number, size: number) {
    return `https://bucket.example/${key}?uploadId=${uploadId}&partNumber=${partNumber}&size=${size}`;
  }
  async uploadedParts(_key: string, uploadId: string) {
    return [...(this.uploads.get(uploadId)?.parts ?? new Map<number, Buffer>()).entries()].map(([partNumber, b]) => ({
      partNumber,
      etag: `e${partNumber}`,
      size: b.length,
    }));
  }
  async completeMultipart(key: string, uploadId: string, parts: { partNumber: number }[]) {
    const upload = this.uploads.get(uploadId);
    assert.equal(upload?.key, key, 'the upload belongs to the key');
    this.objects.set(key, Buffer.concat(parts.map((p) => upload?.parts.get(p.partNumber) as Buffer)));
    this.uploads.delete(uploadId);
  }
  async abortMultipart(_key: string, uploadId: string) {
    this.uploads.delete(uploadId);
  }
  async presignUpload(key: string) {
    return `https://bucket.example/${key}`;
  }
  async put(key: string, bytes: Uint8Array) {
    this.objects.set(key, Buffer.from(bytes));
    return { size: bytes.byteLength };
  }
  async deleteVersion(key: string) {
    this.deleted.push(key);
    this.objects.delete(key);
  }
  async head(key: string) {
    const body = this.objects.get(key);
    return body && { size: body.length };
  }
  async measure(key: string) {
    return measureStream([this.objects.get(key) as Buffer]);
  }
  async copy(from: string, _v: string | undefined, to: string) {
    this.objects.set(to, this.objects.get(from) as Buffer);
    return {};
  }
}

function fixture() {
  const releases = new FakeReleases();
  const store = new FakeStore();
  const republished: string[] = [];
  const publisher = { republish: async (appId: string) => void republished.push(appId) };
  const catalogs = fakeCatalogs();
  return {
    releases,
    store,
    republished,
    releaseService: new ReleaseService(catalogs, releases, publisher),
    artifactService: new ArtifactService(catalogs, { get: async () => app }, releases, store, publisher),
  };
}

const caller = { ownerId: 'O', userId: 'O', username: 'o', kind: 'owner' as const, groups: [] };

describe('release service (with in-memory fakes)', () => {
  it('creates a SyncKit release published at once, and a release named into a channel as a draft', async () => {
    const { releaseService } = fixture();
    const synckit = await releaseService.create(app, { version: '1.0.0' });
    assert.equal(synckit.release.status, 'published');
    assert.equal(synckit.names.channel, 'stable');
    const draft = await releaseService.create(app, { version: '1.1.0', channel: 'stable' });
    assert.equal(draft.release.status, 'draft');
    await assert.rejects(releaseService.create(app, { version: '1.2.0', channel: 'nope' }), /no channel "nope"/);
  });

  it('refuses to publish while an artifact is not verified, then publishes and republishes the feeds', async () => {
    const { releaseService, artifactService, store, republished } = fixture();
    const { release } = await releaseService.create(app, { version: '2.0.0', channel: 'stable' });
    const slot = await artifactService.requestUpload(caller, app, release.id, {
      target: 'linux',
      arch: 'x86_64',
      package: 'deb',
      fileSize: 4,
    });
    await assert.rejects(releaseService.publish(app, release.id), /not verified: .*pending/);
    store.objects.set(slot.objectKey, Buffer.from('abcd'));
    assert.equal(await artifactService.ingest({ key: slot.objectKey }), 'ready');
    const published = await releaseService.publish(app, release.id);
    assert.equal(published.release.status, 'published');
    assert.ok(republished.length >= 2, 'ingest and publish both rebuilt the feeds');
    await assert.rejects(
      releaseService.yank(app, (await releaseService.create(app, { version: '3.0.0', channel: 'stable' })).release.id),
      /draft/,
    );
  });

  it("publishes a draft on its creator's request only once every artifact is verified, and only such a draft", async () => {
    const { releaseService, artifactService, store } = fixture();
    const requested = await releaseService.create(app, { version: '4.0.0', channel: 'stable', publish: false, publishRequestedBy: 'ci' });
    assert.deepEqual(requested.release.publishRequest, { by: 'ci', at: requested.release.createdAt });
    assert.equal((await releaseService.fulfilPublishRequest(app, requested.release.id)).release.status, 'draft', 'no file yet');
    const slot = await artifactService.requestUpload(caller, app, requested.release.id, { target: 'linux', arch: 'x86_64', fileSize: 4 });
    assert.equal((await releaseService.fulfilPublishRequest(app, requested.release.id)).release.status, 'draft', 'a file still pending');
    store.objects.set(slot.objectKey, Buffer.from('abcd'));
    await artifactService.ingest({ key: slot.objectKey });
    const published = await releaseService.fulfilPublishRequest(app, requested.release.id);
    assert.equal(published.release.status, 'published');
    assert.equal(published.release.publishRequest, undefined, 'the request is used up');

    const plain = await releaseService.create(app, { version: '4.1.0', channel: 'stable' });
    const other = await artifactService.requestUpload(caller, app, plain.release.id, { target: 'linux', arch: 'x86_64', fileSize: 4 });
    store.objects.set(other.objectKey, Buffer.from('abcd'));
    await artifactService.ingest({ key: other.objectKey });
    assert.equal((await releaseService.fulfilPublishRequest(app, plain.release.id)).release.status, 'draft', 'nobody asked');
  });

  it('decides again on what a concurrent writer left when its conditional publish loses', async () => {
    const { releases, releaseService, artifactService, store } = fixture();
    const { release } = await releaseService.create(app, { version: '5.0.0', channel: 'stable', publish: false, publishRequestedBy: 'ci' });
    const slot = await artifactService.requestUpload(caller, app, release.id, { target: 'linux', arch: 'x86_64', fileSize: 4 });
    store.objects.set(slot.objectKey, Buffer.from('abcd'));
    await artifactService.ingest({ key: slot.objectKey });
    const update = releases.update.bind(releases);
    let writes = 0;
    releases.update = async (previous, next) => {
      if (writes++ === 0) {
        // Another upload's publish lands between this one's read and its write.
        const { publishRequest: _used, ...rest } = previous;
        releases.releases.set(previous.id, { ...rest, status: 'published', updatedAt: '2026-01-02T00:00:00.000Z' });
        throw new Conflict('The release changed meanwhile; try again');
      }
      return update(previous, next);
    };
    const view = await releaseService.fulfilPublishRequest(app, release.id);
    assert.equal(view.release.status, 'published');
    assert.equal(writes, 1, 'published by the other writer: nothing left to write');
  });
});

describe('ingest (with in-memory fakes)', () => {
  async function uploaded(body: Buffer, declared = body.length, sha256?: string) {
    const f = fixture();
    const { release } = await f.releaseService.create(app, { version: '1.0.0' });
    const slot = await f.artifactService.requestUpload(caller, app, release.id, {
      target: 'darwin',
      arch: 'aarch64',
      fileSize: declared,
      ...(sha256 ? { sha256 } : {}),
    });
    f.store.objects.set(slot.objectKey, body);
    return { ...f, slot };
  }

  it('verifies the staged upload, promotes it to a key no upload URL can reach, and deletes the staged copy', async () => {
    const { artifactService, store, releases, slot } = await uploaded(Buffer.from('hello'));
    assert.equal(await artifactService.ingest({ key: slot.objectKey }), 'ready');
    const artifact = releases.artifacts.get(slot.artifact.id) as Artifact;
    assert.equal(artifact.status, 'ready');
    assert.ok(artifact.objectKey?.startsWith(objectKeys.artifactRoot));
    assert.deepEqual(store.objects.get(artifact.objectKey as string), Buffer.from('hello'));
    assert.ok(!store.objects.has(slot.objectKey), 'the staged upload is gone');
  });

  it('rejects a wrong size or hash with the reason, and offers nothing', async () => {
    const size = await uploaded(Buffer.from('hello'), 6);
    assert.equal(await size.artifactService.ingest({ key: size.slot.objectKey }), 'rejected');
    assert.equal(size.releases.artifacts.get(size.slot.artifact.id)?.reason, 'uploaded 5 bytes, declared 6');
    const hash = await uploaded(Buffer.from('hello'), 5, '0'.repeat(64));
    assert.equal(await hash.artifactService.ingest({ key: hash.slot.objectKey }), 'rejected');
    assert.match(hash.releases.artifacts.get(hash.slot.artifact.id)?.reason ?? '', /does not match the declared/);
    assert.deepEqual(hash.republished, []);
  });

  it('republishes on a redelivered event for an artifact it already verified (the first run died before publishing)', async () => {
    const { artifactService, store, republished, slot } = await uploaded(Buffer.from('bytes'));
    assert.equal(await artifactService.ingest({ key: slot.objectKey }), 'ready');
    republished.length = 0;
    store.objects.set(slot.objectKey, Buffer.from('bytes'));
    assert.equal(await artifactService.ingest({ key: slot.objectKey }), 'ignored');
    assert.deepEqual(republished, [APP_ID]);
  });

  it('ignores and deletes an upload made with the URL of a superseded attempt', async () => {
    const f = await uploaded(Buffer.from('old'));
    const again = await f.artifactService.requestUpload(caller, app, f.slot.artifact.releaseId, {
      target: 'darwin',
      arch: 'aarch64',
      fileSize: 3,
    });
    assert.equal(again.artifact.id, f.slot.artifact.id, 'the same artifact, a new attempt');
    assert.equal(await f.artifactService.ingest({ key: f.slot.objectKey }), 'ignored');
    assert.ok(f.store.deleted.includes(f.slot.objectKey));
    assert.equal(f.releases.artifacts.get(f.slot.artifact.id)?.status, 'pending');
  });

  it('records a verification that kept failing as failed, with the reason', async () => {
    const { artifactService, releases, slot } = await uploaded(Buffer.from('x'));
    assert.equal(await artifactService.recordIngestFailure({ key: slot.objectKey }, 'Task timed out after 300 seconds'), true);
    const artifact = releases.artifacts.get(slot.artifact.id);
    assert.equal(artifact?.status, 'failed');
    assert.match(artifact?.reason ?? '', /timed out/);
  });
});

describe('multipart uploads (with in-memory fakes)', () => {
  it('splits a large file into at most 10,000 parts of at least 8 MiB, and refuses a single PUT over 5 GB', async () => {
    assert.equal(partSizeFor(100 * 1024 ** 2), 8 * 1024 ** 2);
    const fifty = 50 * 1024 ** 3;
    assert.ok(Math.ceil(fifty / partSizeFor(fifty)) <= 10_000);
    const { releaseService, artifactService } = fixture();
    const { release } = await releaseService.create(app, { version: '9.0.0' });
    await assert.rejects(
      artifactService.requestUpload(caller, app, release.id, { target: 'linux', arch: 'x86_64', fileSize: 6 * 1024 ** 3 }),
      /needs "multipart": true/,
    );
    const big = await artifactService.requestUpload(caller, app, release.id, {
      target: 'linux',
      arch: 'x86_64',
      fileSize: 6 * 1024 ** 3,
      multipart: true,
    });
    assert.equal(big.multipart?.partCount, Math.ceil((6 * 1024 ** 3) / (8 * 1024 ** 2)));
    assert.equal(big.multipart?.parts.length, 100, 'the first 100 part URLs; the rest on request');
    const more = await artifactService.multipartParts(app, release.id, big.artifact.id, big.multipart?.uploadId as string, [768, 767]);
    assert.match(more.parts[0]?.uploadUrl ?? '', /partNumber=768&size=8388608$/, 'the last part is the rest of the file');
    await assert.rejects(artifactService.multipartParts(app, release.id, big.artifact.id, 'u', [999_999]), /outside/);
  });

  it('completes an upload from the parts S3 has, and ingest verifies it like a single PUT', async () => {
    const { releaseService, artifactService, store, releases } = fixture();
    const { release } = await releaseService.create(app, { version: '9.1.0' });
    const data = Buffer.from('part one|part two|part three');
    const slot = await artifactService.requestUpload(caller, app, release.id, {
      target: 'darwin',
      arch: 'aarch64',
      fileSize: data.length,
      multipart: true,
    });
    const upload = store.uploads.get(slot.multipart?.uploadId as string);
    upload?.parts.set(2, data.subarray(9, 18));
    upload?.parts.set(1, data.subarray(0, 9));
    upload?.parts.set(3, data.subarray(18));
    const resumed = await artifactService.multipartParts(app, release.id, slot.artifact.id, slot.multipart?.uploadId as string, []);
    assert.deepEqual((resumed.uploaded ?? []).map((p) => p.partNumber).sort(), [1, 2, 3], 'a resuming client learns what arrived');
    await artifactService.completeMultipart(app, release.id, slot.artifact.id, slot.multipart?.uploadId as string);
    assert.equal(await artifactService.ingest({ key: slot.objectKey }), 'ready');
    assert.equal(releases.artifacts.get(slot.artifact.id)?.size, data.length);
  });
});
