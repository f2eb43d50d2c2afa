import { apiRoute, appOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { webhookDto } from '../shared/http/webhook-dto.js';
import { createWebhookBody } from '../shared/http/webhook-schemas.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';
import { webhookService } from '../shared/services/webhook-container.js';

export const handler = apiRoute(routeById('CreateWebhook'), resourceReader, { body: createWebhookBody }, async (request) => {
  const { body } = request;
  const webhook = await webhookService().create(appOf(request), {
    url: body.url,
    ...(body.events !== undefined ? { events: body.events } : {}),
    ...(body.format !== undefined ? { format: body.format } : {}),
    ...(body.secret !== undefined ? { secret: body.secret } : {}),
    ...(body.description ? { description: body.description } : {}),
  });
  // The only time the secret is shown (and never logged).
  return json(201, { ...webhookDto(webhook), secret: webhook.secret });
});
