import { releaseDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { rollbackChannelBody } from '../shared/http/schemas.js';
import { routeById } from '../shared/routes.js';
import { releaseService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('RollbackChannel'), resourceReader, { body: rollbackChannelBody }, async (request) => {
  const done = await releaseService().rollback(appOf(request), pathParam(request.event, 'channel'), request.body.to);
  return json(200, {
    channel: done.channel,
    to: releaseDto(done.to),
    yanked: done.yanked.map((view) => releaseDto(view)),
    withdrawn: done.withdrawn.map((view) => releaseDto(view)),
  });
});
