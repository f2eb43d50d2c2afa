import { secretHash } from './secrets.js';

/** API tokens: `ota_` (made through the service's paths) or `fns_` (through faynoSync's), then 64 hex digits. */
const API_TOKEN = /^(ota|fns)_[0-9a-f]{64}$/;

/** Whether a credential has the shape of one of our API tokens (rather than a Cognito JWT). */
export function isApiToken(value: string): boolean {
  return API_TOKEN.test(value);
}

/** The stored form of an API token: its SHA-256, hex (the token itself is never stored). */
export function apiTokenHash(token: string): string {
  return secretHash(token);
}
