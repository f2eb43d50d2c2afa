import { teamUserDto } from '../shared/http/access-dto.js';
import { permissionsFrom, updateTeamUserBody } from '../shared/http/access-schemas.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { teamService } from '../shared/services/access-container.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('UpdateTeamUser'), resourceReader, { body: updateTeamUserBody }, async (request) => {
  const { body } = request;
  const member = await teamService().update(callerOf(request), request.event.pathParameters?.user_id ?? '', {
    ...(body.password !== undefined ? { password: body.password } : {}),
    ...(body.permissions !== undefined ? { permissions: permissionsFrom(body.permissions) } : {}),
    ...(body.tokens !== undefined ? { tokens: body.tokens } : {}),
    ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
  });
  return json(200, teamUserDto(member));
});
