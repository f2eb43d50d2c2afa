import { timingSafeEqual } from 'node:crypto';
import { ENV, optionalEnv } from '../config/env.js';
import { Forbidden } from '../domain/errors.js';
import { ORIGIN_VERIFY_HEADER } from './edge.js';
import type { HttpEvent, HttpResult } from './http-types.js';
import { header } from './request.js';
import { errorResult } from './respond.js';
import type { Face } from './route-definition.js';

/**
 * Refuses requests that did not come through CloudFront (the execute-api endpoint is reachable
 * directly): CloudFront adds a deploy-time secret header that a direct caller cannot know.
 */
export function assertThroughEdge(event: HttpEvent): void {
  const secret = optionalEnv(ENV.originVerifySecret);
  if (!secret) return;
  const presented = Buffer.from(header(event, ORIGIN_VERIFY_HEADER) ?? '');
  const expected = Buffer.from(secret);
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    throw new Forbidden('Call this service through its public URL');
  }
}

/** Whether requests come through CloudFront (the origin guard is configured): "no update" is then the edge's cacheable 200. */
export function behindEdge(): boolean {
  return optionalEnv(ENV.originVerifySecret) !== undefined;
}

/**
 * The one wrapper of the hot public paths (the three update checks: the Tauri check, faynoSync's
 * `/checkVersion` and Koolbase's SDK check; the feeds; health, not-found): the edge guard and the error shape
 * of the route's face, nothing else. Every other route runs through the middy chain (middleware.ts);
 * this one is plain because the checks' cold starts are measured and budgeted (`npm run bench`).
 */
export function leanPublicRoute(
  fn: (event: HttpEvent) => Promise<HttpResult>,
  face: Face = 'service',
): (event: HttpEvent) => Promise<HttpResult> {
  return async (event) => {
    try {
      assertThroughEdge(event);
      return await fn(event);
    } catch (error) {
      return errorResult(error, undefined, face);
    }
  };
}
