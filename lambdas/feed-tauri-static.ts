import { answerCacheControl, presentedDownloadToken } from '../shared/http/download-token.js';
import { edgeCacheControl } from '../shared/http/edge.js';
import { leanPublicRoute } from '../shared/http/lean-route.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { devicePinOf } from '../shared/http/rollout-bucket.js';
import { feedService, publicAccess } from '../shared/services/public-root.js';

export const handler = leanPublicRoute(async (event) => {
  const access = publicAccess(presentedDownloadToken(event));
  const { body, maxAgeSeconds } = await feedService(access).tauriStatic(
    pathParam(event, 'slug'),
    pathParam(event, 'channel'),
    devicePinOf(event),
  );
  return json(200, body, answerCacheControl(access, edgeCacheControl(maxAgeSeconds)));
});
