import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { empty } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { teamService } from '../shared/services/access-container.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('DeleteTeamUser'), resourceReader, async (request) => {
  await teamService().delete(callerOf(request), request.event.pathParameters?.user_id ?? '');
  return empty(204);
});
