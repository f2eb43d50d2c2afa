/**
 * The web console's contract with whoever serves it (the CloudFront distribution, the local
 * gateway): where it lives, what its `config.json` says, the content security policy it is served
 * with, and which of its files may be cached for good. One definition, so the cloud and `npm start`
 * serve it alike.
 */

/** The path prefix the console is served under (no trailing slash). */
export const CONSOLE_PREFIX = '/console';

/** `config.json`: written at deploy from the stack's outputs (and by the local stack), never from a request. */
export interface ConsoleConfig {
  /**
   * The API's public base URL (for what the console shows, such as client snippets). The console
   * itself calls the API on the page's own origin: it is served with the page, and the CSP allows
   * no other, so a page opened by another name (the distribution's domain beside a custom one,
   * localhost beside 127.0.0.1) still works.
   */
  apiUrl: string;
  region: string;
  userPoolId: string;
  clientId: string;
  /** The Cognito user pools API (`https://cognito-idp.<region>.amazonaws.com/`, or cognito-local). */
  cognitoEndpoint: string;
}

/** What the console's pages may reach besides their own origin. */
export interface ConsoleOrigins {
  /** The Cognito endpoint (sign-in, refresh). */
  cognito: string;
  /** Where presigned upload URLs point (the artifact bucket's S3 endpoint). */
  uploads: string;
}

/**
 * The content security policy of every console answer: its own scripts and styles only (no inline
 * code, no eval), the API (same origin), Cognito and the upload bucket for `fetch`/XHR, no frames,
 * no plugins, no `<base>` rewrites, forms post nowhere else.
 */
export function consoleCsp(origins: ConsoleOrigins): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${origins.cognito} ${origins.uploads}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Cache-Control of the console's files: content-hashed assets never change; the page and its config always revalidate. */
export const CONSOLE_CACHE_CONTROL = {
  immutable: 'public, max-age=31536000, immutable',
  revalidate: 'no-cache',
} as const;

/** The directory (under the prefix) of content-hashed assets. */
export const CONSOLE_ASSETS_DIR = 'assets';

/**
 * The file a console path is answered with: a file name with an extension is itself, anything else
 * is a screen of the single-page app (its own URL), answered with `index.html`.
 */
export function consoleFileOf(path: string): string {
  const rest = path.slice(CONSOLE_PREFIX.length + 1);
  const last = rest.split('/').pop() ?? '';
  return last.includes('.') ? rest : 'index.html';
}
