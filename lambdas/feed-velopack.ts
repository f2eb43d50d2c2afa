import { answerCacheControl, presentedDownloadToken } from '../shared/http/download-token.js';
import { EDGE_CACHE_CONTROL, edgeCacheControl } from '../shared/http/edge.js';
import { apiRoute } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json, redirect } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { downloadAccess, downloadService, resourceReader } from '../shared/services/container.js';
import { feedService } from '../shared/services/feed-root.js';

export const handler = apiRoute(routeById('VelopackFeed'), resourceReader, async ({ event }) => {
  const slug = pathParam(event, 'slug');
  const access = downloadAccess(presentedDownloadToken(event));
  const answer = await feedService(access).velopack(slug, pathParam(event, 'channel'), pathParam(event, 'file'));
  if ('feed' in answer) return json(200, answer.feed.body, answerCacheControl(access, edgeCacheControl(answer.feed.maxAgeSeconds)));
  const { location, cacheable } = await downloadService().file(slug, answer.file.releaseId, answer.file.artifactId, undefined, access);
  return redirect(location, answerCacheControl(access, cacheable ? EDGE_CACHE_CONTROL : 'no-store'));
});
