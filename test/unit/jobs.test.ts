import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job } from '../../shared/domain/job.js';
import type { App, Artifact } from '../../shared/domain/model.js';
import { ArtifactPrivacy } from '../../shared/services/artifact-privacy.js';
import { JobService } from '../../shared/services/job-service.js';
import { jobFromItem, jobToItem, stepsFromStreamRecords } from '../../shared/storage/job-repository.js';
import { T0 } from '../support/records.js';

const APP_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const app: App = { id: APP_ID, name: 'App', ownerId: 'O', slug: 'app', defaultChannelId: 'stable', createdAt: T0, updatedAt: T0 };

/** Job items with the repository's conditional write; `crashBeforeRecord` makes the next write die (a worker killed after its work). */
class FakeJobs {
  readonly items = new Map<string, Job>();
  crashBeforeRecord = 0;
  async create(job: Job) {
    this.items.set(job.id, structuredClone(job));
  }
  async get(_owner: string, id: string) {
    const job = this.items.get(id);
    return job ? structuredClone(job) : undefined;
  }
  async record(next: Job, from: number) {
    if (this.crashBeforeRecord > 0) {
      this.crashBeforeRecord--;
      throw new Error('worker killed');
    }
    if (this.items.get(next.id)?.step !== from) return false;
    this.items.set(next.id, structuredClone(next));
    return true;
  }
}

function world(objects: number, isPrivate: () => boolean = () => true) {
  const artifacts = Array.from({ length: objects }, (_, i): Artifact => {
    const id = String(i).padStart(3, '0');
    return {
      id,
      appId: APP_ID,
      releaseId: 'R',
      platformId: 'darwin',
      archId: 'aarch64',
      package: 'zip',
      declaredSize: 1,
      status: 'ready',
      attemptId: 'A',
      uploadExpiresAt: T0,
      createdAt: T0,
      objectKey: `ota/${id}`,
      objectVersionId: `v${id}`,
    };
  });
  const tags = new Map<string, boolean>();
  const tagCalls: string[] = [];
  const republished: string[][] = [];
  const jobs = new FakeJobs();
  const privacy = new ArtifactPrivacy(
    { get: async () => ({ ...app, private: isPrivate() }) },
    { collection: async () => ({ releases: [], keys: [], pins: [], links: new Map(), artifacts }) },
    {
      setPrivate: async (key, _v, value) => {
        tags.set(key, value);
        tagCalls.push(key);
      },
    },
  );
  const service = new JobService(
    jobs,
    { allByOwner: async () => [] },
    { republish: async (id, paths = []) => void republished.push([id, ...paths]) },
    privacy,
    { objects: 4, apps: 2 },
    () => new Date(T0),
  );
  return { service, jobs, tags, tagCalls, republished };
}

/** Runs the worker as the stream would: one delivery per recorded step, a failed delivery delivered again. */
async function runToEnd(service: JobService, jobs: FakeJobs, first: Job): Promise<Job[]> {
  const seen: Job[] = [];
  let current = first;
  for (let deliveries = 0; deliveries < 100 && (current.state === 'queued' || current.state === 'running'); deliveries++) {
    try {
      await service.resume(current.ownerId, current.id, current.step);
    } catch {
      // a crash: the same record comes again
    }
    current = (await jobs.get(current.ownerId, current.id)) as Job;
    seen.push(current);
  }
  return seen;
}

describe('background jobs', () => {
  it('retags a large app in bounded steps: the first in the request, the rest in the worker, with progress', async () => {
    const { service, jobs, tags, republished } = world(10);
    const job = await service.start('O', { kind: 'app-privacy', appId: APP_ID, private: true });
    assert.deepEqual([job.state, job.done, job.total, job.step], ['running', 4, 10, 1], 'the request did one step');
    const steps = await runToEnd(service, jobs, job);
    assert.deepEqual(
      steps.map((s) => [s.state, s.done]),
      [
        ['running', 8],
        ['done', 10],
      ],
    );
    assert.equal(tags.size, 10);
    assert.ok([...tags.values()].every((v) => v === true));
    assert.deepEqual(republished, [[APP_ID, `/ota/${APP_ID}/*`]], 'new artifact keys at the edge once every object is tagged');
  });

  it('a small app is done before the answer leaves', async () => {
    const { service } = world(3);
    const job = await service.start('O', { kind: 'app-privacy', appId: APP_ID, private: true });
    assert.deepEqual([job.state, job.done, job.total], ['done', 3, 3]);
  });

  it('a worker killed after tagging but before recording its step resumes from the recorded cursor, and nothing is skipped', async () => {
    const { service, jobs, tags, tagCalls } = world(10);
    const job = await service.start('O', { kind: 'app-privacy', appId: APP_ID, private: true });
    jobs.crashBeforeRecord = 1;
    const steps = await runToEnd(service, jobs, job);
    assert.equal(steps.at(-1)?.state, 'done');
    assert.equal(tags.size, 10);
    // Objects 4-7 were tagged twice (the lost step ran again): idempotent.
    assert.equal(tagCalls.length, 14);
    assert.deepEqual(
      tagCalls.filter((k) => k === 'ota/004'),
      ['ota/004', 'ota/004'],
    );
  });

  it('a stale or duplicate delivery records nothing', async () => {
    const { service, jobs } = world(10);
    const job = await service.start('O', { kind: 'app-privacy', appId: APP_ID, private: true });
    assert.ok(await service.resume('O', job.id, job.step));
    assert.equal(await service.resume('O', job.id, job.step), undefined, 'step 1 again: already recorded');
    assert.equal((await jobs.get('O', job.id))?.step, 2);
  });

  it('a step that throws is recorded with its error and retried; after three in a row the job fails', async () => {
    const jobs = new FakeJobs();
    const service = new JobService(
      jobs,
      { allByOwner: async () => [app] },
      {
        republish: async () => {
          throw new Error('table unavailable');
        },
      },
      undefined,
      { objects: 4, apps: 2 },
      () => new Date(T0),
    );
    const job = await service.start('O', { kind: 'owner-republish' });
    assert.deepEqual([job.state, job.failures, job.error], ['running', 1, 'table unavailable']);
    const steps = await runToEnd(service, jobs, job);
    assert.deepEqual(
      steps.map((s) => [s.state, s.failures]),
      [
        ['running', 2],
        ['failed', 3],
      ],
    );
  });

  it('rebuilds every app of an owner a few per step', async () => {
    const apps = ['A5', 'A1', 'A3', 'A2', 'A4'].map((id) => ({ ...app, id }));
    const rebuilt: string[] = [];
    const jobs = new FakeJobs();
    const service = new JobService(
      jobs,
      { allByOwner: async () => apps },
      { republish: async (id) => void rebuilt.push(id) },
      undefined,
      { objects: 4, apps: 2 },
      () => new Date(T0),
    );
    const job = await service.start('O', { kind: 'owner-republish' });
    const steps = await runToEnd(service, jobs, job);
    assert.deepEqual(
      [job, ...steps].map((s) => `${s.state} ${s.done}/${s.total}`),
      ['running 2/5', 'running 4/5', 'done 5/5'],
    );
    assert.deepEqual(rebuilt.sort(), ['A1', 'A2', 'A3', 'A4', 'A5']);
  });

  it('stores a job and reads the steps the stream announces (active jobs only)', () => {
    const job: Job = {
      id: 'J',
      ownerId: 'O',
      input: { kind: 'app-privacy', appId: APP_ID, private: false },
      state: 'running',
      step: 3,
      cursor: 'ota/x',
      target: false,
      done: 4,
      total: 9,
      pass: 0,
      failures: 0,
      createdAt: T0,
      updatedAt: T0,
    };
    assert.deepEqual(jobFromItem(jobToItem(job)), job);
    const image = (state: string) => ({
      dynamodb: { NewImage: { type: { S: 'job' }, state: { S: state }, ownerId: { S: 'O' }, jobId: { S: 'J' }, step: { N: '3' } } },
    });
    assert.deepEqual(stepsFromStreamRecords([image('running'), image('done'), { dynamodb: { NewImage: { type: { S: 'outbox' } } } }]), [
      { ownerId: 'O', jobId: 'J', step: 3 },
    ]);
  });
});
