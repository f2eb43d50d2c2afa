import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { completeUploadBody } from '../shared/http/schemas.js';
import { routeById } from '../shared/routes.js';
import { artifactService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('CompleteUpload'), resourceReader, { body: completeUploadBody }, async (request) => {
  const { body } = request;
  await artifactService().completeMultipart(
    appOf(request),
    pathParam(request.event, 'release_id'),
    pathParam(request.event, 'artifact_id'),
    body.upload_id,
    body.parts?.map((p) => ({ partNumber: p.part_number, etag: p.etag })),
  );
  return json(202, { status: 'completed', verification: 'pending' });
});
