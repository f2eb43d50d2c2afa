import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { empty } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';
import { webhookService } from '../shared/services/webhook-container.js';

export const handler = apiRoute(routeById('DeleteWebhook'), resourceReader, async (request) => {
  await webhookService().remove(appOf(request), pathParam(request.event, 'webhook_id'));
  return empty(204);
});
