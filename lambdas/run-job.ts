import type { DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../shared/http/logger.js';
import { jobServiceWithPrivacy } from '../shared/services/container.js';
import { stepsFromStreamRecords } from '../shared/storage/job-repository.js';

/**
 * The job worker: the table's stream delivers every write of an active job's item, and each write
 * announces the job's next step, which this runs (bounded) and records, which in turn announces
 * the following one. A crash or a timeout throws: the event source mapping delivers the same
 * record again, and the step runs again from the recorded cursor; what still fails after the
 * retries lands in the dead-letter queue, whose alarm tells the operator. A step's own error is
 * recorded in the job (and retried) rather than thrown.
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<void> => {
  const jobs = jobServiceWithPrivacy();
  for (const { ownerId, jobId, step } of stepsFromStreamRecords(event.Records)) {
    const recorded = await jobs.resume(ownerId, jobId, step);
    logger.info('job step', {
      jobId,
      step,
      ...(recorded ? { state: recorded.state, done: recorded.done, total: recorded.total } : { skipped: true }),
    });
  }
};
