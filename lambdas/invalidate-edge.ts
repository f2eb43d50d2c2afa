import type { DynamoDBStreamEvent } from 'aws-lambda';
import { cloudFrontClient, keyValueStoreClient } from '../shared/clients/cloudfront.js';
import { ENV, requireEnv } from '../shared/config/env.js';
import { logger } from '../shared/http/logger.js';
import { EdgeInvalidator, edgeUpdatesFromStreamRecords, pathsFromStreamRecords } from '../shared/storage/edge-cache.js';
import { EdgeStateWriter, KeyValueStoreKeyValues } from '../shared/storage/edge-state-store.js';

const writer = new EdgeStateWriter(new KeyValueStoreKeyValues(keyValueStoreClient(), requireEnv(ENV.edgeStateStoreArn)));
const invalidator = new EdgeInvalidator(cloudFrontClient(), requireEnv(ENV.distributionId));

/**
 * New outbox items from the table's stream → apps' new edge state into the KeyValueStore (what
 * makes a publish visible: no purge), and the Koolbase check's purges into one invalidation. A
 * failure throws: the event source mapping retries the batch (bisecting it), and what still fails
 * lands in the dead-letter queue, whose alarm tells the operator.
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<void> => {
  const written = await writer.apply(edgeUpdatesFromStreamRecords(event.Records));
  const paths = pathsFromStreamRecords(event.Records);
  const sent = await invalidator.invalidate(paths, event.Records.map((r) => r.eventID ?? '').join(','));
  logger.info('edge updated', { records: event.Records.length, keys: written, paths: sent });
};
