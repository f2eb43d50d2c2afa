import { answerCacheControl, presentedDownloadToken } from '../shared/http/download-token.js';
import { EDGE_CACHE_CONTROL, edgeCacheControl } from '../shared/http/edge.js';
import { leanPublicRoute } from '../shared/http/lean-route.js';
import { pathParam } from '../shared/http/request.js';
import { json, redirect } from '../shared/http/respond.js';
import { locateFile } from '../shared/services/download-service.js';
import { feedService, fileDelivery, publicAccess } from '../shared/services/public-root.js';

export const handler = leanPublicRoute(async (event) => {
  const access = publicAccess(presentedDownloadToken(event));
  const answer = await feedService(access).velopack(pathParam(event, 'slug'), pathParam(event, 'channel'), pathParam(event, 'file'));
  if ('feed' in answer) return json(200, answer.feed.body, answerCacheControl(access, edgeCacheControl(answer.feed.maxAgeSeconds)));
  // A package the feed lists: the feed item that listed it holds the verified file.
  const { location, cacheable } = await locateFile(answer.file, access, fileDelivery());
  return redirect(location, answerCacheControl(access, cacheable ? EDGE_CACHE_CONTROL : 'no-store'));
});
