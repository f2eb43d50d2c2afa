import { ENV, optionalEnv } from '../config/env.js';
import type { HttpEvent } from './http-types.js';
import { header } from './request.js';

/** Header the CloudFront viewer-request function sets to the host the client called. */
export const EDGE_HOST_HEADER = 'x-ota-edge-host';

const HOST_PATTERN = /^[a-z0-9.-]+(?::\d{1,5})?$/i;

/**
 * The base URL clients reach this service at: PUBLIC_BASE_URL when configured (custom domain),
 * else the host CloudFront saw (passed on by the edge function), else the host API Gateway or the
 * local gateway was called on.
 */
export function publicBaseUrl(event: HttpEvent): string {
  const configured = optionalEnv(ENV.publicBaseUrl);
  if (configured) return configured.replace(/\/+$/, '');
  const edgeHost = header(event, EDGE_HOST_HEADER);
  const host = edgeHost ?? event.requestContext.domainName ?? header(event, 'host') ?? 'localhost';
  if (!HOST_PATTERN.test(host)) return 'https://invalid-host';
  const proto = edgeHost ? 'https' : (header(event, 'x-forwarded-proto') ?? 'https');
  return `${proto === 'http' ? 'http' : 'https'}://${host}`;
}

/** True when the request came through the CloudFront distribution. */
export function isBehindEdge(event: HttpEvent): boolean {
  return header(event, EDGE_HOST_HEADER) !== undefined;
}
