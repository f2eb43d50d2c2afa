import { answerCacheControl, presentedDownloadToken } from '../shared/http/download-token.js';
import { EDGE_CACHE_CONTROL } from '../shared/http/edge.js';
import { apiRoute } from '../shared/http/middleware.js';
import { pathParam, queryParam } from '../shared/http/request.js';
import { redirect } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { downloadAccess, downloadService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('DownloadArtifact'), resourceReader, async ({ event }) => {
  const channel = queryParam(event, 'channel');
  const access = downloadAccess(presentedDownloadToken(event));
  const { location, cacheable } = await downloadService().release(
    { slug: pathParam(event, 'slug'), target: pathParam(event, 'target'), arch: pathParam(event, 'arch'), ...(channel ? { channel } : {}) },
    pathParam(event, 'release_id'),
    queryParam(event, 'package'),
    access,
  );
  return redirect(location, answerCacheControl(access, cacheable ? EDGE_CACHE_CONTROL : 'no-store'));
});
