import { EDGE_CACHE_CONTROL } from '../shared/http/edge.js';
import { publicRoute } from '../shared/http/handler.js';
import { pathParam } from '../shared/http/request.js';
import { getServices } from '../shared/services/container.js';

export const handler = publicRoute(async (event) => {
  const { location, cacheable } = await getServices().downloads.locate(
    pathParam(event, 'slug'),
    pathParam(event, 'release_id'),
    pathParam(event, 'target'),
    pathParam(event, 'arch'),
  );
  return { statusCode: 302, headers: { location, 'cache-control': cacheable ? EDGE_CACHE_CONTROL : 'no-store' }, body: '' };
});
