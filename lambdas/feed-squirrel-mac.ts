import { answerCacheControl, presentedDownloadToken } from '../shared/http/download-token.js';
import { edgeCacheControl } from '../shared/http/edge.js';
import { behindEdge, leanPublicRoute } from '../shared/http/lean-route.js';
import { pathParam } from '../shared/http/request.js';
import { json, noUpdate } from '../shared/http/respond.js';
import { feedService, publicAccess } from '../shared/services/public-root.js';

export const handler = leanPublicRoute(async (event) => {
  const access = publicAccess(presentedDownloadToken(event));
  const { body, maxAgeSeconds } = await feedService(access).squirrelMac(
    pathParam(event, 'slug'),
    pathParam(event, 'channel'),
    pathParam(event, 'arch'),
    pathParam(event, 'current_version'),
  );
  const cacheControl = answerCacheControl(access, edgeCacheControl(maxAgeSeconds));
  // Squirrel.Mac installs whatever a 200 returns: "nothing to install" is a 204.
  if (!body) return noUpdate(cacheControl, behindEdge());
  return json(200, body, cacheControl);
});
