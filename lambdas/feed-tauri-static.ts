import { edgeCacheControl } from '../shared/http/edge.js';
import { apiRoute } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { resourceReader } from '../shared/services/container.js';
import { feedService } from '../shared/services/feed-root.js';

export const handler = apiRoute('TauriStaticFeed', resourceReader, async ({ event }) => {
  const { body, maxAgeSeconds } = await feedService().tauriStatic(pathParam(event, 'slug'), pathParam(event, 'channel'));
  return json(200, body, edgeCacheControl(maxAgeSeconds));
});
