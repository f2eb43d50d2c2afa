import type * as z from 'zod/mini';
import { teamUserDto } from '../shared/http/access-dto.js';
import { type createTeamUserBody, permissionsFrom } from '../shared/http/access-schemas.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { teamService } from '../shared/services/access-container.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute('CreateTeamUser', resourceReader, async (request) => {
  const body = request.body as z.infer<typeof createTeamUserBody>;
  const member = await teamService().create(callerOf(request), {
    username: body.username,
    password: body.password,
    permissions: permissionsFrom(body.permissions ?? {}),
    ...(body.tokens !== undefined ? { tokens: body.tokens } : {}),
  });
  return json(201, teamUserDto(member));
});
