import { AppError } from './errors.js';
import type { HttpResult } from './http-types.js';

const NO_STORE = 'no-store';

/** A JSON response; management responses are never cacheable. */
export function json(statusCode: number, body: unknown, cacheControl = NO_STORE): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': cacheControl },
    body: JSON.stringify(body),
  };
}

/** An empty response (204, or 200 with no body). */
export function empty(statusCode: number, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { 'cache-control': NO_STORE, ...headers }, body: '' };
}

/** The one place an error becomes `{ "error": { "code", "message" } }`. */
export function errorResult(error: unknown): HttpResult {
  if (error instanceof AppError) {
    return json(error.status, { error: { code: error.code, message: error.message } });
  }
  // Unknown failures are logged with detail and answered without it.
  console.error(JSON.stringify({ level: 'error', message: 'unhandled', error: String(error), stack: (error as Error)?.stack }));
  return json(500, { error: { code: 'internal_error', message: 'Internal server error' } });
}
