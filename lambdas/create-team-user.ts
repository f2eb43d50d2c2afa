import { teamUserDto } from '../shared/http/access-dto.js';
import { createTeamUserBody, permissionsFrom } from '../shared/http/access-schemas.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { teamService } from '../shared/services/access-container.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('CreateTeamUser'), resourceReader, { body: createTeamUserBody }, async (request) => {
  const { body } = request;
  const member = await teamService().create(callerOf(request), {
    username: body.username,
    password: body.password,
    permissions: permissionsFrom(body.permissions ?? {}),
    ...(body.tokens !== undefined ? { tokens: body.tokens } : {}),
  });
  return json(201, teamUserDto(member));
});
