import { artifactDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { artifactService, entryName, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute('GetArtifact', resourceReader, async (request) => {
  const app = appOf(request);
  const artifact = await artifactService().get(app, pathParam(request.event, 'release_id'), pathParam(request.event, 'artifact_id'));
  const [platform, arch] = await Promise.all([
    entryName(app.ownerId, 'platform', artifact.platformId),
    entryName(app.ownerId, 'arch', artifact.archId),
  ]);
  return json(200, artifactDto(artifact, platform, arch));
});
