import { ENV, requireEnv } from '../shared/config/env.js';
import { EDGE_CACHE_CONTROL, NO_UPDATE_HEADER } from '../shared/http/edge.js';
import { publicRoute } from '../shared/http/handler.js';
import { isBehindEdge, publicBaseUrl } from '../shared/http/public-url.js';
import { pathParam } from '../shared/http/request.js';
import { empty, json } from '../shared/http/respond.js';
import { renderTauriUpdate } from '../shared/protocols/tauri.js';
import { checkForUpdate } from '../shared/services/update-check.js';
import { LeanFeedReader } from '../shared/storage/lean-feed-reader.js';

// Built once per container: the check is one signed GetItem with no SDK client to load.
const feeds = new LeanFeedReader(requireEnv(ENV.tableName));

export const handler = publicRoute(async (event) => {
  const slug = pathParam(event, 'slug');
  const target = pathParam(event, 'target');
  const arch = pathParam(event, 'arch');
  const update = await checkForUpdate(feeds, { slug, target, arch, currentVersion: pathParam(event, 'current_version') });
  if (!update) {
    // CloudFront documents no caching for 204, so behind the edge "no update" travels as a
    // cacheable empty 200 that the viewer-response function turns back into 204.
    return isBehindEdge(event)
      ? empty(200, { 'cache-control': EDGE_CACHE_CONTROL, [NO_UPDATE_HEADER]: '1' })
      : empty(204, { 'cache-control': EDGE_CACHE_CONTROL });
  }
  const url = `${publicBaseUrl(event)}/api/sync/ota/${slug}/download/${update.releaseId}/${target}/${arch}`;
  return json(200, renderTauriUpdate(update, url), EDGE_CACHE_CONTROL);
});
