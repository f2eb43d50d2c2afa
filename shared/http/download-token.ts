/**
 * Where a public request carries a private app's download token, in the three ways the stock
 * clients can send one. Dependency-free apart from request.ts, so the lean check path can load it.
 */
import type { PresentedToken } from '../domain/download-token.js';
import { DOWNLOAD_TOKEN_HEADER, DOWNLOAD_TOKEN_QUERY, PRIVATE_CACHE_CONTROL } from './edge.js';
import type { HttpEvent } from './http-types.js';
import { header, queryParam } from './request.js';

/** `Authorization: Bearer dl_…`: a download token, not a caller's credential. */
export const DOWNLOAD_TOKEN_BEARER = /^Bearer\s+(dl_\S*)$/i;

/**
 * The download token of a request: the `X-Download-Token` header (any client that sets headers:
 * Tauri, electron-updater), else `Authorization: Bearer dl_…` (Tauri; dropped by the clients on the
 * cross-host redirect to the bytes), else `?token=` (Sparkle, Squirrel, Velopack, faynoSync's SDKs).
 * Another kind of bearer token (a Cognito access token) is not a download token.
 */
export function presentedDownloadToken(event: HttpEvent): PresentedToken | undefined {
  const fromHeader = header(event, DOWNLOAD_TOKEN_HEADER)?.trim();
  if (fromHeader) return { value: fromHeader, via: 'header' };
  const bearer = DOWNLOAD_TOKEN_BEARER.exec(header(event, 'authorization')?.trim() ?? '')?.[1];
  if (bearer) return { value: bearer, via: 'header' };
  const fromQuery = queryToken(event);
  return fromQuery ? { value: fromQuery, via: 'query' } : undefined;
}

/**
 * The `token` query parameter. One no token of ours can be (too long, bad percent-encoding) is
 * kept as it came: a private app refuses it like any wrong token, a public app ignores it.
 */
function queryToken(event: HttpEvent): string | undefined {
  try {
    return queryParam(event, DOWNLOAD_TOKEN_QUERY);
  } catch {
    return event.queryStringParameters?.[DOWNLOAD_TOKEN_QUERY];
  }
}

/** The Cache-Control of a public route's answer: `whenPublic`, or for a private app's answer one that no shared cache keeps. */
export function answerCacheControl(access: { readonly isPrivate: boolean }, whenPublic: string): string {
  return access.isPrivate ? PRIVATE_CACHE_CONTROL : whenPublic;
}
