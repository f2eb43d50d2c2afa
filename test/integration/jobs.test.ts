import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { GetObjectTaggingCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/provision.js';
import { ENV } from '../../shared/config/env.js';
import { type Reply, uploadArtifact, useLocalService } from '../support/local-service.js';

// Three objects per step, so making the app private takes several steps; the worker dies once at its second.
process.env[ENV.jobObjectsPerStep] = '3';
const FILES = [
  { target: 'darwin', arch: 'aarch64', package: 'app' },
  { target: 'darwin', arch: 'aarch64', package: 'zip' },
  { target: 'darwin', arch: 'x86_64', package: 'zip' },
  { target: 'windows', arch: 'x86_64', package: 'nupkg' },
];
const RELEASES = ['1.0.0', '1.1.0', '1.2.0'];

describe('background jobs: a privacy change of a large app', () => {
  const fixture = useLocalService({ crashJobAtStep: 2 });
  const { api } = fixture;
  let appId = '';

  async function privacyTags(): Promise<string[]> {
    const { bucketName, s3Endpoint } = fixture.service.stack.info;
    const s3 = new S3Client({ endpoint: s3Endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
    try {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucketName, Prefix: `ota/${appId}/` }));
      const tags: string[] = [];
      for (const object of listed.Contents ?? []) {
        const { TagSet } = await s3.send(new GetObjectTaggingCommand({ Bucket: bucketName, Key: object.Key }));
        tags.push(TagSet?.find((t) => t.Key === 'private')?.Value ?? '(none)');
      }
      return tags;
    } finally {
      s3.destroy();
    }
  }

  /** Polls the status route until the job ended, keeping every progress it showed. */
  async function waitForJob(statusUrl: string): Promise<{ last: Reply; seen: string[] }> {
    const seen: string[] = [];
    for (let i = 0; i < 200; i++) {
      const status = await fixture.service.request('GET', statusUrl, { token: fixture.token });
      assert.equal(status.status, 200, status.text);
      const shown = `${status.json.state} ${status.json.progress.done}/${status.json.progress.total}`;
      if (seen.at(-1) !== shown) seen.push(shown);
      if (status.json.state === 'done' || status.json.state === 'failed') return { last: status, seen };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`job still running: ${seen.join(', ')}`);
  }

  before(async () => {
    const created = await api('POST', '/apps', { name: 'Large App' });
    assert.equal(created.status, 201, created.text);
    appId = created.json.id;
    assert.equal((await api('PUT', `/apps/${appId}/slug`, { slug: 'large-app' })).status, 200);
    for (const version of RELEASES) {
      const release = await api('POST', `/apps/${appId}/releases`, { version, notes: '' });
      assert.equal(release.status, 201, release.text);
      for (const file of FILES)
        await uploadArtifact(fixture.service, fixture.token, appId, release.json.id, { ...file, bytes: randomBytes(300) });
      assert.equal((await api('POST', `/apps/${appId}/releases/${release.json.id}/publish`, {})).status, 200);
    }
  });

  it('answers at once with the job, refuses the app at the edge before the retag ends, resumes after a worker crash and finishes', async () => {
    const total = RELEASES.length * FILES.length;
    assert.equal((await fixture.service.request('GET', '/api/sync/ota/large-app/darwin/aarch64/1.0.0')).status, 200, 'public before');

    const changed = await api('PATCH', `/apps/${appId}`, { private: true });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.json.private, true);
    const { job } = changed.json;
    assert.deepEqual(
      [job.kind, job.state, job.app_id, job.progress],
      ['app-privacy', 'running', appId, { done: 3, total }],
      'the request did one step',
    );
    assert.equal(job.status_url, `/api/sync/ota/jobs/${job.id}`);

    // The edge state marks the app private at once: its public paths want a token while objects are still untagged.
    const check = await fixture.service.request('GET', '/api/sync/ota/large-app/darwin/aarch64/1.0.0');
    assert.equal(check.status, 401, check.text);

    const { last, seen } = await waitForJob(job.status_url);
    assert.deepEqual(last.json.progress, { done: total, total }, seen.join(', '));
    assert.equal(last.json.state, 'done');
    assert.equal(last.json.error, null);
    assert.equal(fixture.service.stack.jobCrashes(), 1, 'the worker died once at its second step');
    const tags = await privacyTags();
    assert.equal(tags.length, total);
    assert.ok(
      tags.every((t) => t === 'true'),
      tags.join(','),
    );
  });

  it('making it public again runs the same way; a change without privacy starts no job', async () => {
    const changed = await api('PATCH', `/apps/${appId}`, { private: false });
    assert.equal(changed.json.job.state, 'running');
    await waitForJob(changed.json.job.status_url);
    assert.ok((await privacyTags()).every((t) => t === 'false'));
    assert.equal((await fixture.service.request('GET', '/api/sync/ota/large-app/darwin/aarch64/1.0.0')).status, 200);
    const renamed = await api('PATCH', `/apps/${appId}`, { name: 'Large App 2' });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.json.job, undefined);
  });

  it("shows a job to its owner only: another account's job is a 404, a malformed id a 400", async () => {
    const changed = await api('PATCH', `/apps/${appId}`, { private: true });
    await waitForJob(changed.json.job.status_url);
    const stranger = await fixture.service.newAccountToken('job-stranger');
    const other = await fixture.service.request('GET', changed.json.job.status_url, { token: stranger });
    assert.equal(other.status, 404, other.text);
    assert.equal((await api('GET', '/jobs/not-an-id')).status, 400);
    assert.equal((await api('GET', '/jobs/01ARZ3NDEKTSV4RRFFQ69G5FAV')).status, 404);
  });

  it('deletes the app in a job: 202 at once, gone from every public path before its objects, resumed after a worker crash', async () => {
    // Public again (the previous test made it private), so its check offers a download link to follow after the delete.
    await waitForJob((await api('PATCH', `/apps/${appId}`, { private: false })).json.job.status_url);
    const offered = await fixture.service.request('GET', '/api/sync/ota/large-app/darwin/aarch64/1.0.0');
    assert.equal(offered.status, 200, offered.text);
    const link = new URL(offered.json.url as string).pathname;
    assert.equal((await fixture.service.request('GET', link)).status, 302, 'the link leads to its bytes before the delete');
    const crashes = fixture.service.stack.jobCrashes();
    const deleted = await api('DELETE', `/apps/${appId}`);
    assert.equal(deleted.status, 202, deleted.text);
    assert.deepEqual([deleted.json.kind, deleted.json.state, deleted.json.app_id], ['app-delete', 'running', appId]);
    assert.equal(deleted.json.progress.done, 3, `the request did one step (3 objects): ${deleted.text}`);
    // Gone from every public path at once (the edge state says deleted), while its objects are still being removed.
    assert.equal((await fixture.service.request('GET', '/api/sync/ota/large-app/darwin/aarch64/1.0.0')).status, 404);
    assert.equal((await api('GET', `/apps/${appId}`)).status, 404);
    assert.equal((await fixture.service.request('GET', link)).status, 404, 'its download link answers 404');
    const { last, seen } = await waitForJob(deleted.json.status_url);
    assert.equal(last.json.state, 'done', seen.join(', '));
    assert.ok(seen.length > 2, `several steps: ${seen.join(', ')}`);
    assert.equal(fixture.service.stack.jobCrashes(), crashes + 1, 'the worker died once at its second step, and the job resumed');
    assert.deepEqual(await privacyTags(), [], 'every object is gone');
    assert.equal((await api('DELETE', `/apps/${appId}`)).status, 404, 'and the app with it');
  });
});
