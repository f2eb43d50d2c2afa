import { jsonBody, pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { createArtifactBody } from '../shared/http/schemas.js';
import { userRoute } from '../shared/http/user-route.js';
import { getServices } from '../shared/services/container.js';

export const handler = userRoute(async (event, principal) => {
  const body = jsonBody(event, createArtifactBody);
  const slot = await getServices().artifacts.requestUpload(principal, pathParam(event, 'app_id'), pathParam(event, 'release_id'), {
    target: body.target,
    arch: body.arch,
    fileSize: body.file_size,
    ...(body.signature ? { signature: body.signature } : {}),
    ...(body.sha256 ? { sha256: body.sha256 } : {}),
  });
  return json(201, { upload_url: slot.uploadUrl, s3_key: slot.objectKey, expires_at: slot.expiresAt });
});
