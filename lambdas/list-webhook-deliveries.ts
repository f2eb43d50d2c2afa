import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { webhookDeliveryDto } from '../shared/http/webhook-dto.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';
import { webhookService } from '../shared/services/webhook-container.js';

export const handler = apiRoute(routeById('ListWebhookDeliveries'), resourceReader, async (request) => {
  const deliveries = await webhookService().deliveries(appOf(request), pathParam(request.event, 'webhook_id'));
  return json(200, { deliveries: deliveries.map(webhookDeliveryDto) });
});
