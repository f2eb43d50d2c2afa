import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { JOB_STEP_RETRY_ATTEMPTS } from '../shared/domain/job.js';
import type { StreamRecordLike } from '../shared/storage/stream-records.js';
import { TABLE_DEFINITION } from '../shared/storage/table-definition.js';
import { itemsOfType } from './items-of-type.js';
import { KickedDrain } from './kicked-drain.js';

type StreamHandler = (event: { Records: StreamRecordLike[] }) => Promise<void>;

export interface LocalJobRunnerOptions {
  /** Fault injection for tests: the first delivery of this step (per job) throws, as a worker killed mid-run would. */
  crashAtStep?: number;
  log?: (message: string, detail: Record<string, unknown>) => void;
}

/**
 * The job worker, locally: the cloud's table stream delivers each write of an active job's item
 * to `run-job`; here the runner reads active job items after each request (and after each step,
 * as the step's own write is the next announcement) and hands every step not yet delivered to the
 * same handler in a stream record of the same shape. A delivery that throws is retried as the
 * event source mapping retries it (JOB_STEP_RETRY_ATTEMPTS), then dropped as into the dead-letter queue.
 */
export class LocalJobRunner {
  private readonly delivered = new Set<string>();
  /** Jobs whose worker was made to die once (fault injection). */
  readonly crashed = new Set<string>();
  private readonly drain = new KickedDrain(() => this.deliverFresh());

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly load: () => Promise<StreamHandler>,
    private readonly options: LocalJobRunnerOptions = {},
  ) {}

  /** Something may have written a job: deliver what is new (a drain already under way looks again when it ends). */
  kick(): void {
    this.drain.kick();
  }

  /** Resolves once every announced step has been delivered. */
  idle(): Promise<void> {
    return this.drain.idle();
  }

  /** Delivers the steps not delivered yet; true when there were some (each announces the next). */
  private async deliverFresh(): Promise<boolean> {
    const announced = await this.activeJobs();
    const fresh = announced.filter((r) => !this.delivered.has(stepKey(r)));
    for (const record of fresh) {
      this.delivered.add(stepKey(record));
      await this.deliver(record);
    }
    return fresh.length > 0;
  }

  private async deliver(record: StreamRecordLike): Promise<void> {
    const handler = await this.load();
    const log = this.options.log ?? ((message, detail) => console.error(JSON.stringify({ level: 'ERROR', message, ...detail })));
    for (let attempt = 0; attempt <= JOB_STEP_RETRY_ATTEMPTS; attempt++) {
      try {
        const image = record.dynamodb?.NewImage;
        const job = `${image?.jobId?.S}`;
        if (Number(image?.step?.N) === this.options.crashAtStep && !this.crashed.has(job)) {
          this.crashed.add(job);
          throw new Error(`local fault: the worker died at step ${this.options.crashAtStep}`);
        }
        await handler({ Records: [record] });
        return;
      } catch (error) {
        log('local job step failed; the stream delivers it again', { attempt, error: String(error) });
      }
    }
    log('local job step failed after retries; sent to the dead-letter queue', { step: stepKey(record) });
  }

  /** Active job items as the stream's NEW_IMAGE shows them (only the attributes the worker reads). */
  private async activeJobs(): Promise<StreamRecordLike[]> {
    const records: StreamRecordLike[] = [];
    for await (const item of itemsOfType(this.db, this.tableName, TABLE_DEFINITION.jobType, {
      expression: '#state IN (:queued, :running)',
      names: { '#state': TABLE_DEFINITION.jobStateAttribute },
      values: { ':queued': 'queued', ':running': 'running' },
    })) {
      records.push({
        dynamodb: {
          NewImage: {
            [TABLE_DEFINITION.typeAttribute]: { S: TABLE_DEFINITION.jobType },
            [TABLE_DEFINITION.jobStateAttribute]: { S: String(item[TABLE_DEFINITION.jobStateAttribute]) },
            ownerId: { S: String(item.ownerId) },
            jobId: { S: String(item.jobId) },
            step: { N: String(item.step) },
          },
        },
      });
    }
    return records;
  }
}

function stepKey(record: StreamRecordLike): string {
  const image = record.dynamodb?.NewImage;
  return `${image?.jobId?.S}#${image?.step?.N}`;
}
