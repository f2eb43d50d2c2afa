import { parseArtifactDeleteData } from '../shared/faces/faynosync/upload-wire.js';
import { appAuthorizer } from '../shared/faces/faynosync/version-handlers.js';
import { faynoVersions } from '../shared/faces/faynosync/versions-root.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { parseMultipart } from '../shared/http/multipart.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('FsArtifactDelete'), resourceReader, async (request) => {
  const form = await parseMultipart(request.event);
  const deleted = await faynoVersions().deleteArtifacts(
    callerOf(request),
    appAuthorizer(request),
    parseArtifactDeleteData(form.fields.get('data')),
  );
  return json(200, { deleteSpecificArtifactResult: deleted });
});
