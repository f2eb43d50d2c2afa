import type { DynamoDBStreamEvent } from 'aws-lambda';
import { cloudFrontClient } from '../shared/clients/cloudfront.js';
import { ENV, requireEnv } from '../shared/config/env.js';
import { logger } from '../shared/http/logger.js';
import { EdgeInvalidator, pathsFromStreamRecords } from '../shared/storage/edge-cache.js';

const invalidator = new EdgeInvalidator(cloudFrontClient(), requireEnv(ENV.distributionId));

/**
 * New outbox items from the table's stream → one batched CloudFront invalidation. A failure
 * throws: the event source mapping retries the batch (bisecting it), and what still fails lands
 * in the dead-letter queue, whose alarm tells the operator.
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<void> => {
  const paths = pathsFromStreamRecords(event.Records);
  const sent = await invalidator.invalidate(paths);
  logger.info('edge invalidated', { records: event.Records.length, paths: sent });
};
