import type { DynamoDBStreamEvent } from 'aws-lambda';
import { keyValueStoreClient } from '../shared/clients/cloudfront.js';
import { ENV, requireEnv } from '../shared/config/env.js';
import { logger } from '../shared/http/logger.js';
import { edgeUpdatesFromStreamRecords } from '../shared/storage/edge-cache.js';
import { EdgeStateWriter, KeyValueStoreKeyValues } from '../shared/storage/edge-state-store.js';

const writer = new EdgeStateWriter(new KeyValueStoreKeyValues(keyValueStoreClient(), requireEnv(ENV.edgeStateStoreArn)));

/**
 * New outbox items from the table's stream → apps' and Koolbase SDK keys' new edge state into the
 * KeyValueStore (what makes a change visible: nothing is purged). A failure throws: the event
 * source mapping retries the batch (bisecting it), and what still fails lands in the dead-letter
 * queue, whose alarm tells the operator.
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<void> => {
  const written = await writer.apply(edgeUpdatesFromStreamRecords(event.Records));
  logger.info('edge updated', { records: event.Records.length, keys: written });
};
