import { releaseDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { publishReleaseBody } from '../shared/http/schemas.js';
import { routeById } from '../shared/routes.js';
import { releaseService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('PublishRelease'), resourceReader, { body: publishReleaseBody }, async (request) => {
  const { body } = request;
  const at = body.at ? new Date(body.at).toISOString() : undefined;
  return json(200, releaseDto(await releaseService().publish(appOf(request), pathParam(request.event, 'release_id'), at)));
});
