import { artifactDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { releaseService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('GetArtifact'), resourceReader, async (request) => {
  const { artifact, platform, arch } = await releaseService().artifact(
    appOf(request),
    pathParam(request.event, 'release_id'),
    pathParam(request.event, 'artifact_id'),
  );
  return json(200, artifactDto(artifact, platform, arch));
});
