import { artifactDto, multipartDto } from '../shared/http/dto.js';
import { apiRoute, appOf, callerOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { createArtifactBody } from '../shared/http/schemas.js';
import { routeById } from '../shared/routes.js';
import { artifactService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('CreateArtifactUpload'), resourceReader, { body: createArtifactBody }, async (request) => {
  const { body } = request;
  const slot = await artifactService().requestUpload(callerOf(request), appOf(request), pathParam(request.event, 'release_id'), {
    target: body.target,
    arch: body.arch,
    ...(body.package !== undefined ? { package: body.package } : {}),
    fileSize: body.file_size,
    ...(body.multipart ? { multipart: true } : {}),
    ...(body.signature ? { signature: body.signature } : {}),
    ...(body.ed_signature ? { edSignature: body.ed_signature } : {}),
    ...(body.sha256 ? { sha256: body.sha256 } : {}),
    ...(body.delta_from !== undefined ? { deltaFrom: body.delta_from } : {}),
  });
  return json(201, {
    upload_url: slot.uploadUrl ?? null,
    ...(slot.multipart ? { multipart: multipartDto(slot.multipart) } : {}),
    s3_key: slot.objectKey,
    expires_at: slot.expiresAt,
    artifact_id: slot.artifact.id,
    artifact: artifactDto(slot.artifact, body.target, body.arch),
  });
});
