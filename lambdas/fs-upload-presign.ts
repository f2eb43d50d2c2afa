import { parsePresignBody } from '../shared/faces/faynosync/upload-wire.js';
import { appAuthorizer } from '../shared/faces/faynosync/version-handlers.js';
import { faynoVersions } from '../shared/faces/faynosync/versions-root.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { bodyText } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('FsUploadPresign'), resourceReader, async (request) => {
  const { data, files } = parsePresignBody(bodyText(request.event));
  const result = await faynoVersions().presign(callerOf(request), appAuthorizer(request), data, files);
  return json(200, {
    id: result.id,
    uploads: result.uploads,
    skipped: result.skipped,
    // What to POST to /upload/confirm once every file is PUT.
    confirm: { id: result.id, publish: result.publish },
  });
});
