import { teamUserDto } from '../shared/http/access-dto.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { teamService } from '../shared/services/access-container.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('ListTeamUsers'), resourceReader, async (request) => {
  const members = await teamService().list(callerOf(request));
  return json(200, { users: members.map(teamUserDto) });
});
