import { jobDto } from '../shared/http/dto.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { jobService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('GetJob'), resourceReader, async (request) => {
  return json(200, jobDto(await jobService().status(callerOf(request).ownerId, pathParam(request.event, 'job_id'))));
});
