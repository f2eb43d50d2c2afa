import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isActive, type Job, type JobInput, type JobKind, type JobState } from '../domain/job.js';
import { defined, type Item, num, optStr, str } from './item-codec.js';
import { keys } from './keys.js';
import { newImagesOfType, type StreamRecordLike } from './stream-records.js';
import { TABLE_DEFINITION } from './table-definition.js';

/** How long a job's item is kept after it ended (the table's TTL removes it). */
const ENDED_JOB_TTL_SECONDS = 7 * 24 * 3600;

/** A job as stored. The stream filter reads `type` and `state`; the worker reads the rest back by key. */
export function jobToItem(job: Job): Item {
  const ended = !isActive(job);
  return defined({
    ...keys.job(job.ownerId, job.id),
    [TABLE_DEFINITION.typeAttribute]: TABLE_DEFINITION.jobType,
    jobId: job.id,
    ownerId: job.ownerId,
    input: JSON.stringify(job.input),
    [TABLE_DEFINITION.jobStateAttribute]: job.state,
    step: job.step,
    cursor: job.cursor,
    done: job.done,
    total: job.total,
    target: job.target,
    pass: job.pass,
    failures: job.failures,
    error: job.error,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    [TABLE_DEFINITION.timeToLiveAttribute]: ended ? Math.floor(Date.parse(job.updatedAt) / 1000) + ENDED_JOB_TTL_SECONDS : undefined,
  });
}

const KINDS: readonly JobKind[] = ['app-privacy', 'owner-republish', 'app-delete'];
const STATES: readonly JobState[] = ['queued', 'running', 'done', 'failed'];

export function jobFromItem(item: Item): Job {
  const input = JSON.parse(str(item, 'input')) as JobInput;
  const state = str(item, TABLE_DEFINITION.jobStateAttribute) as JobState;
  if (!KINDS.includes(input.kind) || !STATES.includes(state)) throw new Error(`Stored job ${String(item.SK)}: unknown kind or state`);
  const cursor = optStr(item, 'cursor');
  const error = optStr(item, 'error');
  const target = item.target;
  if (target !== undefined && typeof target !== 'boolean') throw new Error(`Stored job ${String(item.SK)}: target is not a boolean`);
  return {
    id: str(item, 'jobId'),
    ownerId: str(item, 'ownerId'),
    input,
    state,
    step: num(item, 'step'),
    ...(cursor !== undefined ? { cursor } : {}),
    ...(target !== undefined ? { target } : {}),
    done: num(item, 'done'),
    total: num(item, 'total'),
    pass: num(item, 'pass'),
    failures: num(item, 'failures'),
    ...(error !== undefined ? { error } : {}),
    createdAt: str(item, 'createdAt'),
    updatedAt: str(item, 'updatedAt'),
  };
}

/**
 * Job items. Every write of an active job reaches the job worker through the table's stream, so
 * recording a step is also what schedules the next one; a step is recorded only over the step it
 * started from (a conditional write), so a duplicate or stale delivery records nothing.
 */
export class JobRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(job: Job): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: jobToItem(job), ConditionExpression: 'attribute_not_exists(PK)' }),
    );
  }

  /** The owner's job (strongly consistent: the worker must see the last recorded step). */
  async get(ownerId: string, jobId: string): Promise<Job | undefined> {
    const { Item: item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.job(ownerId, jobId), ConsistentRead: true }),
    );
    return item ? jobFromItem(item) : undefined;
  }

  /** Records `next` over the job as it was at step `from`; false when another delivery recorded that step first. */
  async record(next: Job, from: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: jobToItem(next),
          ConditionExpression: 'step = :from',
          ExpressionAttributeValues: { ':from': from },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/** A step a stream record announces: the job (by its key) and the step it was recorded at. */
export interface AnnouncedStep {
  ownerId: string;
  jobId: string;
  step: number;
}

/** The steps of active jobs that a batch of stream records announces (other items are skipped, as the stream filter would). */
export function stepsFromStreamRecords(records: readonly StreamRecordLike[]): AnnouncedStep[] {
  return newImagesOfType(records, TABLE_DEFINITION.jobType, false).flatMap((image) => {
    const state = image[TABLE_DEFINITION.jobStateAttribute]?.S;
    const ownerId = image.ownerId?.S;
    const jobId = image.jobId?.S;
    const step = Number(image.step?.N);
    return (state === 'queued' || state === 'running') && ownerId && jobId && Number.isInteger(step) ? [{ ownerId, jobId, step }] : [];
  });
}
