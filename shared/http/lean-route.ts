import { ENV, optionalEnv } from '../config/env.js';
import { Forbidden } from '../domain/errors.js';
import { ORIGIN_VERIFY_HEADER } from './edge.js';
import type { HttpEvent, HttpResult } from './http-types.js';
import { OriginSecret, secretsManagerVersions } from './origin-verify.js';
import { header } from './request.js';
import { errorResult } from './respond.js';
import type { Face } from './route-definition.js';

let originSecret: { arn: string; secret: OriginSecret } | undefined;

/** The container's origin secret, read from the secret named in ORIGIN_VERIFY_SECRET; undefined locally (no CloudFront). */
export function configuredOriginSecret(): OriginSecret | undefined {
  const arn = optionalEnv(ENV.originVerifySecret);
  if (!arn) return undefined;
  if (originSecret?.arn !== arn) originSecret = { arn, secret: new OriginSecret(secretsManagerVersions(arn)) };
  return originSecret.secret;
}

// Read the secret during the init phase, before the first request waits for it.
configuredOriginSecret()?.prefetch();

/**
 * Refuses requests that did not come through CloudFront (the execute-api endpoint is reachable
 * directly): CloudFront adds a secret header that a direct caller cannot know. The current and the
 * previous value are accepted, so a rotation (docs/operations.md) refuses no request.
 */
export async function assertThroughEdge(event: HttpEvent, secret = configuredOriginSecret()): Promise<void> {
  if (!secret) return;
  if (!(await secret.accepts(header(event, ORIGIN_VERIFY_HEADER) ?? ''))) {
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
      await assertThroughEdge(event);
      return await fn(event);
    } catch (error) {
      return errorResult(error, undefined, face);
    }
  };
}
