import { answerCacheControl, presentedDownloadToken } from '../shared/http/download-token.js';
import { edgeCacheControl } from '../shared/http/edge.js';
import { leanPublicRoute } from '../shared/http/lean-route.js';
import { pathParam } from '../shared/http/request.js';
import { text } from '../shared/http/respond.js';
import { feedService, publicAccess } from '../shared/services/public-root.js';

export const handler = leanPublicRoute(async (event) => {
  const access = publicAccess(presentedDownloadToken(event));
  const { body, maxAgeSeconds } = await feedService(access).squirrelWindows(
    pathParam(event, 'slug'),
    pathParam(event, 'channel'),
    pathParam(event, 'arch'),
  );
  return text(body, 'text/plain', answerCacheControl(access, edgeCacheControl(maxAgeSeconds)));
});
