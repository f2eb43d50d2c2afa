import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { DeliveryMessage } from '../shared/domain/webhook.js';
import { logger } from '../shared/http/logger.js';
import { webhookDeliverer, webhookQueue } from '../shared/services/webhook-container.js';

/**
 * The webhook delivery consumer (SQS, ReportBatchItemFailures): each message is one try of one
 * delivery. A failed try pushes the message's next receive out by the backoff
 * (ChangeMessageVisibility) and reports it as a batch item failure, so SQS keeps it; after the
 * last try the redrive policy moves it to the dead-letter queue, whose alarm tells the operator.
 */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
    try {
      const outcome = await webhookDeliverer().deliver(JSON.parse(record.body) as DeliveryMessage, attempt);
      if (outcome.done) continue;
      if (!outcome.last) await webhookQueue().delay(record.receiptHandle, outcome.retryInSeconds);
      logger.info('webhook delivery failed', { messageId: record.messageId, attempt, retryInSeconds: outcome.retryInSeconds });
    } catch (error) {
      logger.error('webhook delivery could not run', { messageId: record.messageId, attempt, error: String(error) });
    }
    failures.push({ itemIdentifier: record.messageId });
  }
  return { batchItemFailures: failures };
};
