import { answerCacheControl, presentedDownloadToken } from '../shared/http/download-token.js';
import { EDGE_CACHE_CONTROL } from '../shared/http/edge.js';
import { apiRoute } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { redirect } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { downloadAccess, downloadService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('DownloadFile'), resourceReader, async ({ event }) => {
  const access = downloadAccess(presentedDownloadToken(event));
  const { location, cacheable } = await downloadService().file(
    pathParam(event, 'slug'),
    pathParam(event, 'release_id'),
    pathParam(event, 'artifact_id'),
    pathParam(event, 'file_name'),
    access,
  );
  return redirect(location, answerCacheControl(access, cacheable ? EDGE_CACHE_CONTROL : 'no-store'));
});
