import { releaseDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { promoteReleaseBody } from '../shared/http/schemas.js';
import { routeById } from '../shared/routes.js';
import { releaseService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('PromoteRelease'), resourceReader, { body: promoteReleaseBody }, async (request) => {
  const { body } = request;
  return json(200, releaseDto(await releaseService().promote(appOf(request), pathParam(request.event, 'release_id'), body.channel)));
});
