import { answerCacheControl, presentedDownloadToken } from '../shared/http/download-token.js';
import { edgeCacheControl } from '../shared/http/edge.js';
import { leanPublicRoute } from '../shared/http/lean-route.js';
import { pathParam, queryParam } from '../shared/http/request.js';
import { redirect } from '../shared/http/respond.js';
import { downloadService, publicAccess } from '../shared/services/public-root.js';

export const handler = leanPublicRoute(async (event) => {
  const channel = queryParam(event, 'channel');
  const access = publicAccess(presentedDownloadToken(event));
  const { location, cacheable, maxAgeSeconds } = await downloadService().latest(
    { slug: pathParam(event, 'slug'), target: pathParam(event, 'target'), arch: pathParam(event, 'arch'), ...(channel ? { channel } : {}) },
    queryParam(event, 'package'),
    access,
  );
  return redirect(location, answerCacheControl(access, cacheable ? edgeCacheControl(maxAgeSeconds) : 'no-store'));
});
