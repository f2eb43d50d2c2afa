import { Invalid, NotFound } from '../shared/domain/errors.js';
import { parseFileKey } from '../shared/faces/faynosync/download-key.js';
import { appAuthorizer } from '../shared/faces/faynosync/version-handlers.js';
import { faynoVersions } from '../shared/faces/faynosync/versions-root.js';
import { PRIVATE_CACHE_CONTROL } from '../shared/http/edge.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { queryParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { downloadAccess, downloadService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('FsDownload'), resourceReader, async (request) => {
  const key = queryParam(request.event, 'key');
  if (key === undefined) throw new Invalid('key is required');
  if (request.downloadToken) {
    // A download token (a private app's client): a published file of the app the token opens, named by its link.
    const file = parseFileKey(key);
    if (!file?.appId) throw new NotFound('file not found');
    const access = downloadAccess(request.downloadToken);
    const { location } = await downloadService().appFile(file.appId, file.releaseId, file.artifactId, file.fileName ?? '', access, true);
    return json(200, { download_url: location }, PRIVATE_CACHE_CONTROL);
  }
  const url = await faynoVersions().download(callerOf(request), appAuthorizer(request), key);
  return json(200, { download_url: url });
});
