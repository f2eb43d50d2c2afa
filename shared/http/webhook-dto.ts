import type { Webhook, WebhookDelivery } from '../domain/webhook.js';

/** A webhook as the API shows it: never its secret. */
export function webhookDto(webhook: Webhook) {
  return {
    id: webhook.id,
    url: webhook.url,
    events: webhook.events,
    format: webhook.format,
    secret_prefix: webhook.secretPrefix,
    description: webhook.description ?? null,
    created_at: webhook.createdAt,
  };
}

export function webhookDeliveryDto(delivery: WebhookDelivery) {
  return {
    delivery_id: delivery.id,
    event_id: delivery.eventId,
    event_type: delivery.eventType,
    attempt: delivery.attempt,
    at: delivery.at,
    status: delivery.status ?? null,
    ok: delivery.ok,
    error: delivery.error ?? null,
    duration_ms: delivery.durationMs,
    retry_in_seconds: delivery.retryInSeconds ?? null,
  };
}
