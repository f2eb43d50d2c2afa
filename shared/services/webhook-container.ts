/** The composition root of webhooks (kept apart so only their functions bundle the SQS client). */

import { dynamoDocumentClient } from '../clients/dynamodb.js';
import { SqsQueue, sqsClient } from '../clients/sqs.js';
import { ENV, optionalEnv, requireEnv } from '../config/env.js';
import { DEFAULT_RETRY_BASE_SECONDS, type UrlPolicy } from '../domain/webhook.js';
import { WebhookRepository } from '../storage/webhook-repository.js';
import { httpPost, WebhookDeliverer, WebhookFanOut, WebhookService } from './webhook-service.js';

let repository: WebhookRepository | undefined;
let queue: SqsQueue | undefined;

function webhookRepository(): WebhookRepository {
  repository ??= new WebhookRepository(dynamoDocumentClient(), requireEnv(ENV.tableName));
  return repository;
}

/** http:// to loopback addresses only where the deployer said so (the local stack); never in the cloud. */
function urlPolicy(): UrlPolicy {
  return { allowLocalHttp: optionalEnv(ENV.webhookAllowLocalHttp) === '1' };
}

export function webhookService(): WebhookService {
  return new WebhookService(webhookRepository(), urlPolicy());
}

export function webhookQueue(): SqsQueue {
  queue ??= new SqsQueue(sqsClient(), requireEnv(ENV.webhookQueueUrl));
  return queue;
}

export function webhookFanOut(): WebhookFanOut {
  return new WebhookFanOut(webhookRepository(), webhookQueue());
}

export function webhookDeliverer(): WebhookDeliverer {
  const base = Number(optionalEnv(ENV.webhookRetryBaseSeconds) ?? DEFAULT_RETRY_BASE_SECONDS);
  return new WebhookDeliverer(webhookRepository(), {
    // A name that resolves to a private address is refused when connecting, at each try (DNS may change after registration).
    post: httpPost(!urlPolicy().allowLocalHttp),
    retryBaseSeconds: Number.isFinite(base) && base >= 0 ? base : DEFAULT_RETRY_BASE_SECONDS,
  });
}
