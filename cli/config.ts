import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from './api.js';
import { CliError, EXIT } from './errors.js';

/** What `ota login` keeps: the server and the session's access token (60 minutes). */
export interface StoredLogin {
  url: string;
  username: string;
  token: string;
  /** When the access token stops working (ISO time), read from its `exp`. */
  expires_at: string | null;
  /** Renews the access token once it expired (Cognito's refresh token, 30 days by default); absent in older login files. */
  refresh_token?: string;
}

/** `$XDG_CONFIG_HOME/ota` or `~/.config/ota`: the login, and the state of unfinished multipart uploads. */
export function configDir(): string {
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'ota');
}

const loginFile = () => join(configDir(), 'login.json');

/** Writes a file only its owner can read (0600), atomically. */
export function writePrivate(file: string, content: string): void {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

export function saveLogin(login: StoredLogin): string {
  writePrivate(loginFile(), `${JSON.stringify(login, null, 2)}\n`);
  return loginFile();
}

/** Forgets the stored login (the token itself stays valid until it expires, 60 minutes at most). */
export function forgetLogin(): string {
  rmSync(loginFile(), { force: true });
  return loginFile();
}

export function readLogin(): StoredLogin | undefined {
  try {
    return JSON.parse(readFileSync(loginFile(), 'utf8')) as StoredLogin;
  } catch {
    return undefined;
  }
}

/** When a session answer's access token expires: the token's own claim, else what the answer says. */
export function sessionExpiry(session: { access_token: string; expires_at: string }): string {
  return tokenExpiry(session.access_token) ?? session.expires_at;
}

/** The expiry of a JWT access token, or null for an API token (opaque). */
export function tokenExpiry(token: string): string | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: number };
    return typeof exp === 'number' ? new Date(exp * 1000).toISOString() : null;
  } catch {
    return null;
  }
}

/**
 * The client for a command: `OTA_TOKEN` (an API token, for CI) with `OTA_URL` or the stored URL,
 * else the stored login. `--url` overrides the server.
 */
export async function signedInClient(urlOption: string | undefined): Promise<ApiClient> {
  const stored = readLogin();
  const envToken = process.env.OTA_TOKEN;
  const url = (urlOption || process.env.OTA_URL || stored?.url)?.replace(/\/+$/, '');
  if (envToken) {
    if (!url) throw new CliError('OTA_TOKEN is set but no server is', EXIT.usage, 'set OTA_URL (the API URL) or pass --url');
    return new ApiClient(url, envToken, true);
  }
  if (!stored || !url) {
    throw new CliError('Not signed in', EXIT.auth, 'run ota login --url <ApiUrl> --username <name> (or set OTA_TOKEN and OTA_URL in CI)');
  }
  // A minute of margin: a token that expires during the command would fail halfway.
  if (stored.expires_at && Date.parse(stored.expires_at) <= Date.now() + REFRESH_MARGIN_MS) {
    const renewed = stored.refresh_token ? await renew(stored) : undefined;
    if (!renewed) {
      throw new CliError(`The session of ${stored.username} expired at ${stored.expires_at}`, EXIT.auth, 'run ota login again');
    }
    return new ApiClient(url, renewed.token);
  }
  return new ApiClient(url, stored.token);
}

const REFRESH_MARGIN_MS = 60_000;

/** A new access token from the stored refresh token, saved; undefined when the server refuses it (sign in again). */
async function renew(stored: StoredLogin): Promise<StoredLogin | undefined> {
  try {
    const session = await new ApiClient(stored.url, undefined).call('RefreshSession', {
      body: { refresh_token: stored.refresh_token ?? '' },
    });
    const renewed = { ...stored, token: session.access_token, expires_at: sessionExpiry(session) };
    saveLogin(renewed);
    return renewed;
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.auth) return undefined;
    throw error;
  }
}
