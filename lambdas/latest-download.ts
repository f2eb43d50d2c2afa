import { answerCacheControl, presentedDownloadToken } from '../shared/http/download-token.js';
import { edgeCacheControl } from '../shared/http/edge.js';
import { apiRoute } from '../shared/http/middleware.js';
import { pathParam, queryParam } from '../shared/http/request.js';
import { redirect } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { downloadAccess, downloadService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('LatestDownload'), resourceReader, async ({ event }) => {
  const channel = queryParam(event, 'channel');
  const access = downloadAccess(presentedDownloadToken(event));
  const { location, cacheable, maxAgeSeconds } = await downloadService().latest(
    { slug: pathParam(event, 'slug'), target: pathParam(event, 'target'), arch: pathParam(event, 'arch'), ...(channel ? { channel } : {}) },
    queryParam(event, 'package'),
    access,
  );
  return redirect(location, answerCacheControl(access, cacheable ? edgeCacheControl(maxAgeSeconds) : 'no-store'));
});
