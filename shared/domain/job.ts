/**
 * Background jobs: owner-wide or app-wide work too large for one request (retagging every object
 * of an app that turned private or public, rebuilding every app of an owner after a catalog
 * change, removing a deleted app's objects and records). A job is done in bounded steps; each step records its cursor, so a crash or a timeout
 * resumes where the last recorded step ended.
 */

export type JobKind = 'app-privacy' | 'owner-republish' | 'app-delete';
export type JobState = 'queued' | 'running' | 'done' | 'failed';

/** What a job works on, by kind. */
export type JobInput =
  /** Tag every verified object of the app as `private` (or not). */
  | { kind: 'app-privacy'; appId: string; private: boolean }
  /** Rebuild the feeds of every app of the owner. */
  | { kind: 'owner-republish' }
  /** Remove every object and record of an app already taken off every public path (its delete started). */
  | { kind: 'app-delete'; appId: string };

export interface Job {
  id: string;
  ownerId: string;
  input: JobInput;
  state: JobState;
  /** Incremented by every recorded step; a step is recorded only over the step it started from. */
  step: number;
  /** Where the next step starts (the last key handled); absent before the first. */
  cursor?: string;
  /** Units handled so far and in all (objects retagged, apps rebuilt); `total` is known after the first step. */
  done: number;
  total: number;
  /** The privacy job's current pass: the privacy it tags with (a pass starts over when the app's privacy changed meanwhile). */
  target?: boolean;
  /** Passes started over (bounded: an app whose privacy keeps changing has a job per change anyway). */
  pass: number;
  /** Steps that failed in a row; the job fails after a few. */
  failures: number;
  error?: string;
  createdAt: string;
  updatedAt: string;
}

/** Steps that may fail in a row (each recorded and retried) before the job is marked failed. */
export const MAX_JOB_FAILURES = 3;

/** Whether the worker still has work to do on a job. */
export function isActive(job: Pick<Job, 'state'>): boolean {
  return job.state === 'queued' || job.state === 'running';
}

/** Deliveries of one step after a crash or a timeout (the stream's retries) before it goes to the dead-letter queue. */
export const JOB_STEP_RETRY_ATTEMPTS = 5;
