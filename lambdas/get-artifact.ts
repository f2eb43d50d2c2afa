import { NotFound, shown } from '../shared/domain/errors.js';
import { artifactDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { entryName, releaseRepository, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute('GetArtifact', resourceReader, async (request) => {
  const app = appOf(request);
  const artifactId = pathParam(request.event, 'artifact_id');
  const artifact = await releaseRepository().getArtifact(app.id, pathParam(request.event, 'release_id'), artifactId);
  if (!artifact) throw new NotFound(`Artifact ${shown(artifactId)} not found`);
  const [platform, arch] = await Promise.all([
    entryName(app.ownerId, 'platform', artifact.platformId),
    entryName(app.ownerId, 'arch', artifact.archId),
  ]);
  return json(200, artifactDto(artifact, platform, arch));
});
