import { apiRoute, appOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { webhookDto } from '../shared/http/webhook-dto.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';
import { webhookService } from '../shared/services/webhook-container.js';

export const handler = apiRoute(routeById('ListWebhooks'), resourceReader, async (request) => {
  return json(200, { webhooks: (await webhookService().list(appOf(request))).map(webhookDto) });
});
