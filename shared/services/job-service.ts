import { NotFound, shown } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { isActive, type Job, type JobInput, MAX_JOB_FAILURES } from '../domain/job.js';
import type { App } from '../domain/model.js';
import type { AppRepository } from '../storage/app-repository.js';
import type { JobRepository } from '../storage/job-repository.js';
import { edgePaths } from '../storage/keys.js';
import type { ArtifactPrivacy } from './artifact-privacy.js';
import type { DeletionService } from './deletion-service.js';
import type { FeedPublisher } from './feed-publisher.js';

/** How much one step does: objects retagged, apps rebuilt (a step must end well inside the worker's timeout). */
export interface JobLimits {
  objects: number;
  apps: number;
}

export const DEFAULT_JOB_LIMITS: JobLimits = { objects: 200, apps: 20 };

type Progress = Pick<Job, 'state' | 'done' | 'total'> & Partial<Pick<Job, 'cursor' | 'target' | 'pass'>>;

/** Passes a privacy job starts over at most (the app's privacy changed under it each time). */
const MAX_PASSES = 5;
/** Apps rebuilt at once within one step. */
const REBUILD_CONCURRENCY = 5;

/**
 * Background jobs (shared/domain/job.ts) run as bounded steps over the job's item in the table. A
 * request starts a job and does its first step at once, so a small app or owner is done before
 * the answer leaves; a larger one continues in the job worker (lambdas/run-job.ts), which the
 * table's stream runs once per recorded step. A step is recorded only over the step it started
 * from, and every step is idempotent: a step that crashed before it was recorded is run again
 * from the same cursor. A step that throws is recorded as a failure (and so retried); after
 * MAX_JOB_FAILURES in a row the job fails with the error.
 */
export class JobService {
  constructor(
    private readonly jobs: Pick<JobRepository, 'create' | 'get' | 'record'>,
    private readonly apps: Pick<AppRepository, 'allByOwner'>,
    private readonly publisher: Pick<FeedPublisher, 'republish'>,
    private readonly privacy: Pick<ArtifactPrivacy, 'step'> | undefined,
    private readonly limits: JobLimits = DEFAULT_JOB_LIMITS,
    private readonly now: () => Date = () => new Date(),
    private readonly deletion?: Pick<DeletionService, 'beginAppDelete' | 'deleteAppStep'>,
  ) {}

  /**
   * Deletes an app: at once it is off every public path and out of every answer (its edge state
   * says `deleted`), and its objects and records go in the `app-delete` job's bounded steps (a
   * small app's within this request).
   */
  async deleteApp(app: App): Promise<Job> {
    if (!this.deletion) throw new Error('this function deletes no apps: build its job service with the deletion service');
    await this.deletion.beginAppDelete(app);
    return this.start(app.ownerId, { kind: 'app-delete', appId: app.id });
  }

  /** Starts a job of the owner: its first step runs now, the rest in the worker. */
  async start(ownerId: string, input: JobInput): Promise<Job> {
    const at = this.now().toISOString();
    const queued: Job = {
      id: newId(),
      ownerId,
      input,
      state: 'queued',
      step: 0,
      done: 0,
      total: 0,
      pass: 0,
      failures: 0,
      ...(input.kind === 'app-privacy' ? { target: input.private } : {}),
      createdAt: at,
      updatedAt: at,
    };
    const first = await this.advance(queued);
    await this.jobs.create(first);
    return first;
  }

  /** The caller's job; another owner's answers as one that does not exist. */
  async status(ownerId: string, jobId: string): Promise<Job> {
    const job = await this.jobs.get(ownerId, jobId);
    if (!job) throw new NotFound(`Job ${shown(jobId)} not found`);
    return job;
  }

  /**
   * The worker's entry: runs the step a stream record announced, if it is still the job's current
   * one (a redelivered or stale record does nothing), and records it. Returns the recorded job.
   */
  async resume(ownerId: string, jobId: string, step: number): Promise<Job | undefined> {
    const job = await this.jobs.get(ownerId, jobId);
    if (!job || !isActive(job) || job.step !== step) return undefined;
    const next = await this.advance(job);
    return (await this.jobs.record(next, job.step)) ? next : undefined;
  }

  /** One bounded step of the job, as the job it leaves (not yet recorded). */
  private async advance(job: Job): Promise<Job> {
    const base = { ...job, step: job.step + 1, updatedAt: this.now().toISOString() };
    try {
      const progress =
        job.input.kind === 'app-privacy'
          ? await this.retag(job, job.input.appId)
          : job.input.kind === 'app-delete'
            ? await this.remove(job, job.input.appId)
            : await this.rebuild(job);
      // The step's progress replaces the cursor and clears a previous failure.
      const { error: _error, cursor: _cursor, ...rest } = base;
      return { ...rest, ...progress, failures: 0 };
    } catch (error) {
      const failures = job.failures + 1;
      const message = error instanceof Error ? error.message : String(error);
      return { ...base, failures, error: message, state: failures >= MAX_JOB_FAILURES ? 'failed' : 'running' };
    }
  }

  /** A step's progress: what changes in the job (a cursor only while work remains). */
  private async retag(job: Job, appId: string): Promise<Progress> {
    if (!this.privacy) throw new Error('this function retags no objects: build its job service with artifactPrivacy()');
    const step = await this.privacy.step(
      appId,
      { target: job.target ?? false, ...(job.cursor ? { after: job.cursor } : {}) },
      this.limits.objects,
    );
    const pass = job.pass + (step.restarted ? 1 : 0);
    if (step.next && pass < MAX_PASSES) {
      return {
        state: 'running',
        target: step.next.target,
        pass,
        done: step.done,
        total: step.total,
        ...(step.next.after ? { cursor: step.next.after } : {}),
      };
    }
    // Every object is tagged as the app is: new artifact keys at the edge, so nothing cached while tags changed is served.
    await this.publisher.republish(appId, [edgePaths.app(appId)]);
    return { state: 'done', done: step.total, total: step.total };
  }

  /** Objects and records deleted so far; the total grows with what each step finds until the last one. */
  private async remove(job: Job, appId: string): Promise<Progress> {
    if (!this.deletion) throw new Error('this function deletes no apps: build its job service with the deletion service');
    const { deleted, finished } = await this.deletion.deleteAppStep(appId, job.ownerId, this.limits.objects);
    const done = job.done + deleted;
    return finished ? { state: 'done', done, total: done } : { state: 'running', done, total: done + 1 };
  }

  private async rebuild(job: Job): Promise<Progress> {
    const ids = (await this.apps.allByOwner(job.ownerId)).map((app) => app.id).sort();
    const after = job.cursor;
    const batch = ids.filter((id) => after === undefined || id > after).slice(0, this.limits.apps);
    const pending = [...batch];
    const worker = async () => {
      for (let id = pending.shift(); id !== undefined; id = pending.shift()) await this.publisher.republish(id);
    };
    await Promise.all(Array.from({ length: REBUILD_CONCURRENCY }, worker));
    const last = batch.at(-1) ?? after;
    const done = last === undefined ? 0 : ids.filter((id) => id <= last).length;
    if (done >= ids.length) return { state: 'done', done: ids.length, total: ids.length };
    return { state: 'running', done, total: ids.length, ...(last !== undefined ? { cursor: last } : {}) };
  }
}
