import { koolbaseService } from '../shared/faces/koolbase/container.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { empty } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('KoolbaseDeleteBundle'), resourceReader, async (request) => {
  await koolbaseService().delete(appOf(request), pathParam(request.event, 'bundle_id'));
  return empty(204);
});
