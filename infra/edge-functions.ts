import { NO_UPDATE_HEADER } from '../shared/http/edge.js';

/**
 * CloudFront Function (cloudfront-js-2.0) on the viewer response of every edge-cached route.
 *
 * CloudFront documents which 3xx/4xx/5xx codes it caches but no caching of 204, so behind the
 * edge "no update" is an empty, cacheable 200 marked with a header; this function turns it back
 * into the 204 the Tauri updater expects, for cache hits and misses alike.
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
