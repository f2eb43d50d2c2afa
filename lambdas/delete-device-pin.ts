import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { empty } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { devicePinService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('DeleteDevicePin'), resourceReader, async (request) => {
  await devicePinService().remove(appOf(request), pathParam(request.event, 'pin_id'));
  return empty(204);
});
