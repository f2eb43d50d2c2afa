import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { empty } from '../shared/http/respond.js';
import { deletionService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute('DeleteRelease', resourceReader, async (request) => {
  await deletionService().deleteRelease(appOf(request), pathParam(request.event, 'release_id'));
  return empty(204);
});
