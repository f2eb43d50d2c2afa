import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { empty } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { deletionService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('DeleteArtifact'), resourceReader, async (request) => {
  await deletionService().deleteArtifact(appOf(request), pathParam(request.event, 'release_id'), pathParam(request.event, 'artifact_id'));
  return empty(204);
});
