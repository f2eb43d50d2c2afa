import type { HttpEvent, HttpResult } from './http-types.js';
import { errorResult } from './respond.js';

export type HttpHandler = (event: HttpEvent) => Promise<HttpResult>;

/** Wraps a public route: any thrown error becomes the one JSON error shape. */
export function publicRoute(fn: (event: HttpEvent) => Promise<HttpResult>): HttpHandler {
  return async (event) => {
    try {
      return await fn(event);
    } catch (error) {
      return errorResult(error);
    }
  };
}
