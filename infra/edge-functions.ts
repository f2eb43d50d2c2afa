import { BUCKETS, MAX_DEVICE_ID } from '../shared/domain/rollout.js';
import { API_KEY_HASH_HEADER, API_KEY_HEADER, DEVICE_BUCKET_HEADER, DEVICE_ID_HEADERS, NO_UPDATE_HEADER } from '../shared/http/edge.js';

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

/**
 * CloudFront Function (cloudfront-js-2.0) on the viewer request of rollout-aware routes: turns the
 * device id a client sends (${DEVICE_ID_HEADERS.join(', ')}) into its bucket, 0-${BUCKETS - 1}, in
 * \`${DEVICE_BUCKET_HEADER}\`, which is part of the cache key; the id itself never is (nor is it
 * forwarded). A bucket the client sent itself is dropped. Same arithmetic as \`deviceBucket\` in
 * shared/domain/rollout.ts (a unit test runs both on the same ids).
 */
export const DEVICE_BUCKET_CODE = `function handler(event) {
  var request = event.request;
  var headers = request.headers;
  delete headers['${DEVICE_BUCKET_HEADER}'];
  var names = ${JSON.stringify(DEVICE_ID_HEADERS)};
  for (var n = 0; n < names.length; n++) {
    var header = headers[names[n]];
    if (header && header.value) {
      var id = header.value.slice(0, ${MAX_DEVICE_ID});
      var hash = 5381;
      for (var i = 0; i < id.length; i++) hash = (hash * 33 + id.charCodeAt(i)) % 4294967296;
      headers['${DEVICE_BUCKET_HEADER}'] = { value: String(hash % ${BUCKETS}) };
      break;
    }
  }
  return request;
}`;

/**
 * CloudFront Function (cloudfront-js-2.0) on the viewer request of key-checked routes (Koolbase's
 * SDK check): puts the SHA-256 (hex) of \`${API_KEY_HEADER}\` into \`${API_KEY_HASH_HEADER}\`, which
 * is part of the cache key, so two keys never share an answer while the key itself never enters
 * the key (it is forwarded to the origin only, which hashes it again and trusts nothing else).
 * A hash the client sent itself is dropped; no key, no hash (every keyless request shares the 401).
 */
export const API_KEY_HASH_CODE = `var crypto = require('crypto');
function handler(event) {
  var request = event.request;
  var headers = request.headers;
  delete headers['${API_KEY_HASH_HEADER}'];
  var key = headers['${API_KEY_HEADER}'];
  if (key && key.value) {
    headers['${API_KEY_HASH_HEADER}'] = { value: crypto.createHash('sha256').update(key.value).digest('hex') };
  }
  return request;
}`;
