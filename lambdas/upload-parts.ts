import { multipartDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { uploadPartsBody } from '../shared/http/schemas.js';
import { routeById } from '../shared/routes.js';
import { artifactService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('UploadParts'), resourceReader, { body: uploadPartsBody }, async (request) => {
  const { body } = request;
  const slot = await artifactService().multipartParts(
    appOf(request),
    pathParam(request.event, 'release_id'),
    pathParam(request.event, 'artifact_id'),
    body.upload_id,
    body.part_numbers,
  );
  return json(200, multipartDto(slot));
});
