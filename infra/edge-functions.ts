import { NO_UPDATE_HEADER } from '../shared/http/edge.js';
import { EDGE_HOST_HEADER } from '../shared/http/public-url.js';

/**
 * CloudFront Functions (cloudfront-js-2.0) of the public update paths.
 *
 * Viewer request: passes the host the client called to the origin, which builds absolute
 * download URLs from it (the distribution's own domain cannot be given to the functions as
 * configuration without a dependency cycle). It overwrites whatever the viewer sent.
 */
export const VIEWER_REQUEST_CODE = `function handler(event) {
  var request = event.request;
  request.headers['${EDGE_HOST_HEADER}'] = { value: request.headers.host ? request.headers.host.value : '' };
  return request;
}`;

/**
 * Viewer response: CloudFront documents which 3xx/4xx/5xx codes it caches but no caching of
 * 204, so behind the edge "no update" is an empty, cacheable 200 marked with a header; this
 * function turns it back into the 204 the Tauri updater expects, for cache hits and misses alike.
 */
export const VIEWER_RESPONSE_CODE = `function handler(event) {
  var response = event.response;
  if (response.statusCode === 200 && response.headers['${NO_UPDATE_HEADER}']) {
    response.statusCode = 204;
    response.statusDescription = 'No Content';
    delete response.headers['${NO_UPDATE_HEADER}'];
    delete response.headers['content-type'];
  }
  return response;
}`;
