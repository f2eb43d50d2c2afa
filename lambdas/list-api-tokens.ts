import { apiTokenDto } from '../shared/http/access-dto.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { tokenService } from '../shared/services/access-container.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('ListApiTokens'), resourceReader, async (request) => {
  const tokens = await tokenService().list(callerOf(request));
  return json(200, { tokens: tokens.map(apiTokenDto) });
});
