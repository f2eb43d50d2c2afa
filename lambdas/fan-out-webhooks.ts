import type { DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../shared/http/logger.js';
import { webhookFanOut } from '../shared/services/webhook-container.js';
import { eventsFromStreamRecords } from '../shared/storage/webhook-repository.js';

/**
 * The webhook fan-out: the table's stream delivers each new event item (written in the transaction
 * of the change it tells about), and this sends one SQS message per webhook subscribed to it. A
 * failure throws: the event source mapping delivers the batch again (a message sent twice carries
 * the same delivery id), and what still fails lands in the dead-letter queue.
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<void> => {
  const events = eventsFromStreamRecords(event.Records);
  const sent = await webhookFanOut().fanOut(events);
  // Every change writes an event, webhooks or not: a batch that reached no webhook is not worth an INFO line.
  if (sent > 0) logger.info('webhook fan-out', { events: events.length, messages: sent });
  else logger.debug('webhook fan-out', { events: events.length, messages: 0 });
};
