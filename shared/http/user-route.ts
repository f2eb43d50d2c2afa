import type { Principal } from '../auth/principal.js';
import { AccessTokenVerifier } from '../auth/token-verifier.js';
import { type HttpHandler, publicRoute } from './handler.js';
import type { HttpEvent, HttpResult } from './http-types.js';
import { header } from './request.js';

let verifier: AccessTokenVerifier | undefined;

/** Wraps a management route: the caller must present a valid Cognito access token. */
export function userRoute(fn: (event: HttpEvent, principal: Principal) => Promise<HttpResult>): HttpHandler {
  return publicRoute(async (event) => {
    verifier ??= AccessTokenVerifier.fromEnv();
    const principal = await verifier.principalFrom(header(event, 'authorization'));
    return fn(event, principal);
  });
}
