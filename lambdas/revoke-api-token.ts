import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { empty } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { tokenService } from '../shared/services/access-container.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('RevokeApiToken'), resourceReader, async (request) => {
  await tokenService().revoke(callerOf(request), request.event.pathParameters?.token_id ?? '');
  return empty(204);
});
