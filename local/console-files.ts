/**
 * Serves the web console at `/console/` from the local gateway as CloudFront serves it in the
 * cloud: content-hashed assets cached for good, `index.html` for every screen path (the SPA
 * fallback), `config.json` from the local stack's own settings, and the same security headers and
 * content security policy (shared/http/console.ts). Built on the first request, so stacks that
 * never open the console (most tests) pay nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { buildConsole } from '../console/build.js';
import {
  CONSOLE_ASSETS_DIR,
  CONSOLE_CACHE_CONTROL,
  CONSOLE_PREFIX,
  type ConsoleConfig,
  consoleCsp,
  consoleFileOf,
} from '../shared/http/console.js';
import type { HttpResult } from '../shared/http/http-types.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

/** The headers CloudFront's response headers policy puts on every console answer (infra/constructs/console-site.ts). */
export function consoleHeaders(config: ConsoleConfig, uploadsOrigin: string): Record<string, string> {
  return {
    'content-security-policy': consoleCsp({ cognito: new URL(config.cognitoEndpoint).origin, uploads: uploadsOrigin }),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };
}

/** An answer for a console path (`/console/…`), or undefined for any other path. */
export function consoleResponder(
  dir: string,
  config: ConsoleConfig,
  uploadsOrigin: string,
): (method: string, path: string) => HttpResult | undefined {
  let built = false;
  const headers = consoleHeaders(config, uploadsOrigin);
  return (method, path) => {
    if (!path.startsWith(`${CONSOLE_PREFIX}/`)) return undefined;
    if (method !== 'GET' && method !== 'HEAD') return { statusCode: 405, headers: { ...headers, allow: 'GET, HEAD' }, body: '' };
    const file = consoleFileOf(path);
    if (file === 'config.json') {
      return {
        statusCode: 200,
        headers: { ...headers, 'content-type': TYPES['.json'] as string, 'cache-control': CONSOLE_CACHE_CONTROL.revalidate },
        body: JSON.stringify(config),
      };
    }
    if (!built) {
      buildConsole(dir);
      built = true;
    }
    const full = normalize(join(dir, file));
    if (!full.startsWith(`${normalize(dir)}/`) || !existsSync(full)) {
      return { statusCode: 404, headers: { ...headers, 'content-type': 'text/plain' }, body: 'Not found' };
    }
    const cache = file.startsWith(`${CONSOLE_ASSETS_DIR}/`) ? CONSOLE_CACHE_CONTROL.immutable : CONSOLE_CACHE_CONTROL.revalidate;
    return {
      statusCode: 200,
      headers: { ...headers, 'content-type': TYPES[extname(full)] ?? 'application/octet-stream', 'cache-control': cache },
      body: method === 'HEAD' ? '' : readFileSync(full, 'utf8'),
    };
  };
}
