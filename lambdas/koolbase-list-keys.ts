import { koolbaseService } from '../shared/faces/koolbase/container.js';
import { keyDto } from '../shared/faces/koolbase/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('KoolbaseListKeys'), resourceReader, async (request) => {
  return json(200, (await koolbaseService().listKeys(appOf(request))).map(keyDto));
});
