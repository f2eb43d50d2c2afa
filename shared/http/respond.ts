import { DomainError } from '../domain/errors.js';
import { NO_UPDATE_HEADER } from './edge.js';
import { faceErrorMessage, HTTP_ERRORS } from './errors.js';
import type { HttpResult } from './http-types.js';
import type { Face } from './route-definition.js';

const NO_STORE = 'no-store';

/** A JSON response; management responses are never cacheable. */
export function json(statusCode: number, body: unknown, cacheControl = NO_STORE, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': cacheControl, ...headers },
    body: JSON.stringify(body),
  };
}

/** A 200 text document (a feed file) of the given type. */
export function text(body: string, contentType: string, cacheControl = NO_STORE): HttpResult {
  return { statusCode: 200, headers: { 'content-type': `${contentType}; charset=utf-8`, 'cache-control': cacheControl }, body };
}

/** An empty response (204, or 200 with no body). */
export function empty(statusCode: number, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { 'cache-control': NO_STORE, ...headers }, body: '' };
}

/**
 * "No update" of every check that answers it with an empty 204 (Tauri, faynoSync's per-updater
 * formats, Squirrel.Mac). CloudFront documents no caching of 204, so behind the edge it travels as
 * an empty cacheable 200 marked with NO_UPDATE_HEADER, which the viewer-response function
 * (infra/edge-functions.ts) turns back into 204 for hits and misses alike.
 */
export function noUpdate(cacheControl: string, behindEdge: boolean): HttpResult {
  return behindEdge
    ? empty(200, { 'cache-control': cacheControl, [NO_UPDATE_HEADER]: '1' })
    : empty(204, { 'cache-control': cacheControl });
}

/** A redirect. */
export function redirect(location: string, cacheControl = NO_STORE): HttpResult {
  return { statusCode: 302, headers: { location, 'cache-control': cacheControl }, body: '' };
}

/**
 * The one place an error becomes a response: `{ "error": { "code", "message" } }` on the service's
 * own API, `{ "error": "<message>" }` on the faynoSync and Koolbase faces (what their clients read),
 * the message in the face's words when it has its own for the error's reason (`FACE_ERROR_WORDS`).
 * `log` receives what is not a domain error.
 */
export function errorResult(error: unknown, log: (error: unknown) => void = defaultLog, face: Face = 'service'): HttpResult {
  if (error instanceof DomainError) {
    const { status, code } = HTTP_ERRORS[error.kind];
    const message = faceErrorMessage(error, face);
    return json(status, face === 'service' ? { error: { code, message } } : { error: message });
  }
  // Unknown failures are logged with detail and answered without it.
  log(error);
  return json(
    500,
    face === 'service' ? { error: { code: 'internal_error', message: 'Internal server error' } } : { error: 'internal server error' },
  );
}

function defaultLog(error: unknown): void {
  console.error(JSON.stringify({ level: 'ERROR', message: 'unhandled', error: String(error), stack: (error as Error)?.stack }));
}
