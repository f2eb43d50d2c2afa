import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { empty } from '../shared/http/respond.js';
import { abortUploadBody } from '../shared/http/schemas.js';
import { routeById } from '../shared/routes.js';
import { artifactService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('AbortUpload'), resourceReader, { body: abortUploadBody }, async (request) => {
  const { body } = request;
  await artifactService().abortMultipart(
    appOf(request),
    pathParam(request.event, 'release_id'),
    pathParam(request.event, 'artifact_id'),
    body.upload_id,
  );
  return empty(204);
});
