/**
 * Webhooks: the routes an owner registers, lists and removes an app's webhooks with, and reads
 * their deliveries. Entries have the shape `RouteDefinition`; the route table (`shared/routes.ts`)
 * includes them.
 */
import type { Access, Action } from './domain/access.js';
import { API_PREFIX } from './domain/public-paths.js';
import { EMPTY, type RouteDefinition } from './http/route-definition.js';
import { createWebhookBody, newWebhookAnswer, webhookDeliveryListAnswer, webhookListAnswer } from './http/webhook-schemas.js';

const WEBHOOKS = `${API_PREFIX}/apps/{app_id}/webhooks`;

const onApp = (action: Action): Access => ({ kind: 'caller', resourceType: 'app', action, resource: { type: 'app', param: 'app_id' } });
const base = { edgeCache: false, domain: 'apps' } as const;

export const WEBHOOK_ROUTES: readonly RouteDefinition[] = [
  {
    ...base,
    id: 'CreateWebhook',
    responses: { 201: newWebhookAnswer },
    method: 'POST',
    path: WEBHOOKS,
    handler: 'create-webhook',
    access: onApp('edit'),
    grants: ['table:write'],
    request: { body: createWebhookBody },
    summary:
      "Register a webhook of the app (URL, events, json or slack format); its signing secret (generated, or the owner's) is shown once",
  },
  {
    ...base,
    id: 'ListWebhooks',
    responses: { 200: webhookListAnswer },
    method: 'GET',
    path: WEBHOOKS,
    handler: 'list-webhooks',
    access: onApp('read'),
    grants: ['table:query'],
    summary: "The app's webhooks (never their secrets)",
  },
  {
    ...base,
    id: 'DeleteWebhook',
    responses: { 204: EMPTY },
    method: 'DELETE',
    path: `${WEBHOOKS}/{webhook_id}`,
    handler: 'delete-webhook',
    access: onApp('edit'),
    grants: ['table:write'],
    summary: 'Remove a webhook (deliveries still queued for it are dropped)',
  },
  {
    ...base,
    id: 'ListWebhookDeliveries',
    responses: { 200: webhookDeliveryListAnswer },
    method: 'GET',
    path: `${WEBHOOKS}/{webhook_id}/deliveries`,
    handler: 'list-webhook-deliveries',
    access: onApp('read'),
    grants: ['table:query'],
    summary: "The webhook's last 50 delivery attempts, newest first: event, attempt, time, status code, error, next retry",
  },
];
