import { answerCacheControl, presentedDownloadToken } from '../shared/http/download-token.js';
import { edgeCacheControl } from '../shared/http/edge.js';
import { apiRoute } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { text } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { downloadAccess, resourceReader } from '../shared/services/container.js';
import { feedService } from '../shared/services/feed-root.js';

export const handler = apiRoute(routeById('SparkleFeed'), resourceReader, async ({ event }) => {
  const access = downloadAccess(presentedDownloadToken(event));
  const { body, maxAgeSeconds } = await feedService(access).sparkle(
    pathParam(event, 'slug'),
    pathParam(event, 'channel'),
    pathParam(event, 'arch'),
  );
  return text(body, 'application/rss+xml', answerCacheControl(access, edgeCacheControl(maxAgeSeconds)));
});
