import { koolbaseService } from '../shared/faces/koolbase/container.js';
import { bundleDto } from '../shared/faces/koolbase/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('KoolbaseActivateBundle'), resourceReader, async (request) => {
  const app = appOf(request);
  return json(200, bundleDto(app, await koolbaseService().activate(app, pathParam(request.event, 'bundle_id'))));
});
