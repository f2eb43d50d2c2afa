import { apiRoute, appOf } from '../shared/http/middleware.js';
import { empty } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { deletionService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('DeleteApp'), resourceReader, async (request) => {
  await deletionService().deleteApp(appOf(request));
  return empty(204);
});
