import type { HttpResult } from './http-types.js';
import type { BodyLimit, Face } from './route-definition.js';

/**
 * The 413 a route with a `bodyLimit` gets for a larger declared Content-Length, in the route's
 * error shape. The CloudFront function answers it in the cloud (infra/edge-functions.ts renders
 * the same body), the local gateway locally; undefined when the request is within the limit.
 */
export function bodyLimitAnswer(route: { bodyLimit?: BodyLimit; face?: Face }, contentLength: string | undefined): HttpResult | undefined {
  if (!route.bodyLimit || contentLength === undefined) return undefined;
  if (!(Number(contentLength) > route.bodyLimit.bytes)) return undefined;
  return {
    statusCode: 413,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: bodyLimitBody(route.bodyLimit, route.face),
  };
}

/** The JSON body of that 413. */
export function bodyLimitBody(limit: BodyLimit, face: Face | undefined): string {
  return JSON.stringify(
    face === undefined || face === 'service' ? { error: { code: 'payload_too_large', message: limit.message } } : { error: limit.message },
  );
}
