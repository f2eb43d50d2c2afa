import { bodyLimitBody } from '../shared/http/body-limit.js';
import type { RouteDefinition } from '../shared/http/route-definition.js';

/**
 * CloudFront Function (cloudfront-js-2.0) on the viewer request of the uncached behaviours: a
 * request to a route with a `bodyLimit` whose declared Content-Length is larger is answered 413
 * at the edge, in the route's error shape and naming its alternative (the presigned upload), as
 * the local gateway answers it (shared/http/body-limit.ts). Without it the request would reach
 * Lambda's 6 MB invocation limit and get API Gateway's bare `{"message":"Request Too Long"}`.
 * A body sent without Content-Length (chunked) is left to the function's own check.
 */
export function bodyLimitCode(routes: readonly RouteDefinition[]): string {
  const limits = routes
    .filter((r) => r.bodyLimit)
    .map((r) => ({
      method: r.method,
      pattern: `^${r.path.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}/]+\}/g, '[^/]+')}$`,
      bytes: r.bodyLimit?.bytes ?? 0,
      body: r.bodyLimit ? bodyLimitBody(r.bodyLimit, r.face) : '',
    }));
  return `var LIMITS = ${JSON.stringify(limits)};
function handler(event) {
  var request = event.request;
  var length = request.headers['content-length'];
  if (!length) return request;
  for (var i = 0; i < LIMITS.length; i++) {
    var limit = LIMITS[i];
    if (request.method === limit.method && new RegExp(limit.pattern).test(request.uri) && Number(length.value) > limit.bytes) {
      return {
        statusCode: 413,
        statusDescription: 'Payload Too Large',
        headers: { 'content-type': { value: 'application/json' }, 'cache-control': { value: 'no-store' } },
        body: { encoding: 'text', data: limit.body },
      };
    }
  }
  return request;
}`;
}
