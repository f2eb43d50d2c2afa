import { pathParam } from '../shared/http/request.js';
import { empty } from '../shared/http/respond.js';
import { userRoute } from '../shared/http/user-route.js';
import { getServices } from '../shared/services/container.js';

export const handler = userRoute(async (event, principal) => {
  await getServices().apps.delete(principal, pathParam(event, 'app_id'));
  return empty(204);
});
