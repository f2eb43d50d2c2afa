import { koolbaseService } from '../shared/faces/koolbase/container.js';
import { bundleDto } from '../shared/faces/koolbase/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('KoolbaseCompleteUpload'), resourceReader, async (request) => {
  const app = appOf(request);
  const view = await koolbaseService().completeUpload(app, pathParam(request.event, 'bundle_id'));
  return json(201, bundleDto(app, view));
});
