import type { KinesisStreamEvent } from 'aws-lambda';
import { telemetryAggregator } from '../shared/faces/faynosync/telemetry-root.js';
import { logger } from '../shared/http/logger.js';

/**
 * One batch of CloudFront real-time log records from the Kinesis stream (one record per line) →
 * one read and one write per counter row. A failure throws: the event source mapping retries the
 * batch (bisecting it), then the dead-letter queue and its alarm. A retried batch may count its
 * requests twice; its unique clients never are (a sketch union is idempotent).
 */
export const handler = async (event: KinesisStreamEvent): Promise<void> => {
  const lines = event.Records.flatMap((r) => Buffer.from(r.kinesis.data, 'base64').toString('utf8').split('\n'));
  const result = await telemetryAggregator().ingest(lines);
  logger.info('telemetry aggregated', { ...result });
};
