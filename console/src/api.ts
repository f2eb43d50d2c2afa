/**
 * The console's typed API client: operations by route id (operations.ts), bodies and answers typed
 * by the route table's schemas, the access token added and refreshed once on a 401.
 */
import { accessToken } from './auth.js';
import type { ConsoleConfig } from './config.js';
import { type AnswerOf, type BodyOf, fillPath, OPERATIONS, type OperationId } from './operations.js';

export type { AnswerOf, OperationId };
export type App = AnswerOf<'GetApp'>;
export type Release = AnswerOf<'GetRelease'>;
export type Artifact = AnswerOf<'GetArtifact'>;
export type CatalogEntry = AnswerOf<'ListChannels'>['items'][number];
export type WhoAmI = AnswerOf<'WhoAmI'>;

/** The service's error answer (`{ "error": { "code", "message" } }`), or the network's. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CallOptions<K extends OperationId> {
  params?: Record<string, string>;
  query?: Record<string, string | undefined>;
  body?: BodyOf<K>;
}

export class Api {
  constructor(
    private readonly config: ConsoleConfig,
    /** Called when the session is gone (refresh failed): the shell shows the sign-in. */
    private readonly onSignedOut: () => void,
  ) {}

  /** Calls one operation; answers its typed success body or throws an ApiError. */
  async call<K extends OperationId>(id: K, options: CallOptions<K> = {}): Promise<AnswerOf<K>> {
    let response = await this.send(id, options, false);
    if (response.status === 401) response = await this.send(id, options, true);
    const text = await response.text();
    if (!response.ok) {
      if (response.status === 401) this.onSignedOut();
      throw errorOf(response.status, text);
    }
    return (text ? JSON.parse(text) : undefined) as AnswerOf<K>;
  }

  private async send<K extends OperationId>(id: K, options: CallOptions<K>, refresh: boolean): Promise<Response> {
    const op = OPERATIONS[id];
    // The API is served with the page (CSP connect-src 'self'): its own origin, whichever name the
    // page was opened by (a custom domain or the distribution's; localhost or 127.0.0.1).
    const url = new URL(fillPath(op.path, options.params ?? {}), location.origin);
    for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(name, value);
    const headers: Record<string, string> = {};
    const token = await accessToken(this.config, refresh);
    if (token) headers.authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(url, { method: op.method, headers, body: options.body === undefined ? null : JSON.stringify(options.body) });
    } catch {
      throw new ApiError(0, 'network', 'Cannot reach the server; check your connection and try again.');
    }
  }
}

function errorOf(status: number, text: string): ApiError {
  try {
    const parsed = JSON.parse(text) as { error?: string | { code?: string; message?: string }; message?: string };
    // Koolbase's face answers `{ "error": "text" }`.
    if (typeof parsed.error === 'string') return new ApiError(status, String(status), parsed.error);
    if (parsed.error?.message) return new ApiError(status, parsed.error.code ?? String(status), parsed.error.message);
    if (parsed.message) return new ApiError(status, String(status), parsed.message);
  } catch {}
  return new ApiError(status, String(status), text.slice(0, 200) || `The server answered ${status}.`);
}
