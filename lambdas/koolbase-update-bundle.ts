import { koolbaseService } from '../shared/faces/koolbase/container.js';
import { setMandatoryBody } from '../shared/faces/koolbase/schemas.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { empty } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('KoolbaseUpdateBundle'), resourceReader, { body: setMandatoryBody }, async (request) => {
  const { body } = request;
  await koolbaseService().setMandatory(appOf(request), pathParam(request.event, 'bundle_id'), body.mandatory);
  return empty(204);
});
