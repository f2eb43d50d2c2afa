import * as z from 'zod/mini';
import { MAX_URL_LENGTH, WEBHOOK_EVENT_TYPES } from '../domain/webhook-fields.js';
import { component } from './route-definition.js';

/** Request and answer schemas of the webhook routes (shared/routes-webhooks.ts); strict: an unknown field is a 400 naming it. */
export const createWebhookBody = z.strictObject({
  url: z
    .string()
    .check(z.minLength(1, 'url must not be empty'), z.maxLength(MAX_URL_LENGTH, `url must be at most ${MAX_URL_LENGTH} characters`)),
  events: z.optional(
    z.array(z.enum(WEBHOOK_EVENT_TYPES, { error: `events: each must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` })).check(z.maxLength(20)),
  ),
  format: z.optional(z.enum(['json', 'slack'], { error: 'format must be json or slack' })),
  secret: z.optional(z.string().check(z.maxLength(200, 'secret must be at most 200 characters'))),
  description: z.optional(z.string().check(z.trim(), z.maxLength(200, 'description must be at most 200 characters'))),
});

const webhookShape = {
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  format: z.string(),
  secret_prefix: z.string(),
  description: z.nullable(z.string()),
  created_at: z.string(),
};

/** A webhook as its owner lists it: never the secret. */
export const webhookAnswer = component('Webhook', z.object(webhookShape));
export const webhookListAnswer = z.object({ webhooks: z.array(webhookAnswer) });
/** A new webhook: the listed fields and its signing secret, shown once. */
export const newWebhookAnswer = z.object({ ...webhookShape, secret: z.string() });

export const webhookDeliveryListAnswer = z.object({
  deliveries: z.array(
    z.object({
      delivery_id: z.string(),
      event_id: z.string(),
      event_type: z.string(),
      attempt: z.number(),
      at: z.string(),
      status: z.nullable(z.number()),
      ok: z.boolean(),
      error: z.nullable(z.string()),
      duration_ms: z.number(),
      retry_in_seconds: z.nullable(z.number()),
    }),
  ),
});
