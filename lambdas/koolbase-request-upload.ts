import { KOOLBASE_PROJECT } from '../shared/domain/koolbase-paths.js';
import { koolbaseService } from '../shared/faces/koolbase/container.js';
import { requestUploadBody } from '../shared/faces/koolbase/schemas.js';
import { apiRoute, appOf, callerOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('KoolbaseRequestUpload'), resourceReader, { body: requestUploadBody }, async (request) => {
  const { body } = request;
  const app = appOf(request);
  const { bundle, slot } = await koolbaseService().requestUpload(callerOf(request), app, {
    ...(body.channel ? { channel: body.channel } : {}),
    ...(body.mandatory !== undefined ? { mandatory: body.mandatory } : {}),
    ...(body.release_notes ? { notes: body.release_notes } : {}),
    fileSize: body.file_size,
    ...(body.sha256 ? { sha256: body.sha256 } : {}),
  });
  return json(201, {
    bundle_id: bundle.release.id,
    project_id: app.id,
    channel: bundle.channel,
    version: bundle.version,
    upload_url: slot.uploadUrl,
    method: 'PUT',
    file_size: body.file_size,
    expires_at: slot.expiresAt,
    complete_url: `${KOOLBASE_PROJECT.replace('{project_id}', app.id)}/uploads/${bundle.release.id}/complete`,
  });
});
