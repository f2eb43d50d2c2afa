import { newSecret, secretHash } from './secrets.js';

/** Koolbase's public SDK keys: `pk_live_` and 32 random bytes, base64url. Only their SHA-256 is stored. */
export const API_KEY_PREFIX = 'pk_live_';
/** Characters of a key shown in lists, so its owner can tell keys apart (the prefix and 4 random characters). */
const SHOWN_CHARS = API_KEY_PREFIX.length + 4;
/** Longer values are no key of ours: refused before hashing. */
export const MAX_API_KEY_CHARS = 256;

/** A new key (shown to its creator once). */
export function newApiKey(): string {
  return newSecret(API_KEY_PREFIX, 'base64url');
}

/** What is stored of a key and what its item is keyed by: SHA-256, hex (as the edge function computes it). */
export function apiKeyHash(key: string): string {
  return secretHash(key);
}

/** The part of a key lists show. */
export function apiKeyShownPrefix(key: string): string {
  return key.slice(0, SHOWN_CHARS);
}

/**
 * Answers of key-checked routes are cached at most this long (the edge's TTL for them), so a
 * revoked key stops working within a minute even if the edge never learned of it.
 */
export const API_KEY_EDGE_TTL_SECONDS = 60;

/** Koolbase's answer to an unknown or revoked key (the origin's and the edge's). */
export const INVALID_API_KEY = 'invalid api key';

/** A rotation's grace period: how long the old key keeps working beside the new one (0: it stops at once). */
export const DEFAULT_KEY_GRACE_SECONDS = 24 * 60 * 60;
export const MAX_KEY_GRACE_SECONDS = 30 * 24 * 60 * 60;

/** Whether a key with this grace end (epoch seconds; undefined: not rotated) no longer works at `nowMs`. */
export function apiKeyExpired(expiresAt: number | undefined, nowMs: number): boolean {
  return expiresAt !== undefined && nowMs >= expiresAt * 1000;
}
