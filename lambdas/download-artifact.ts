import { answerCacheControl, presentedDownloadToken } from '../shared/http/download-token.js';
import { EDGE_CACHE_CONTROL } from '../shared/http/edge.js';
import { leanPublicRoute } from '../shared/http/lean-route.js';
import { pathParam, queryParam } from '../shared/http/request.js';
import { redirect } from '../shared/http/respond.js';
import { downloadService, publicAccess } from '../shared/services/public-root.js';

export const handler = leanPublicRoute(async (event) => {
  const channel = queryParam(event, 'channel');
  const access = publicAccess(presentedDownloadToken(event));
  const { location, cacheable } = await downloadService().release(
    { slug: pathParam(event, 'slug'), target: pathParam(event, 'target'), arch: pathParam(event, 'arch'), ...(channel ? { channel } : {}) },
    pathParam(event, 'release_id'),
    queryParam(event, 'package'),
    access,
  );
  return redirect(location, answerCacheControl(access, cacheable ? EDGE_CACHE_CONTROL : 'no-store'));
});
