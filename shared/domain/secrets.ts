/**
 * The service's bearer secrets (API tokens, download tokens, Koolbase SDK keys): minted from 32
 * random bytes behind a recognisable prefix, stored only as their SHA-256. Dependency-free apart
 * from node:crypto, so the lean check paths can load it.
 */
import { createHash, randomBytes } from 'node:crypto';

const RANDOM_BYTES = 32;

/** A new secret: `prefix` and 256 random bits (64 hex digits, or 43 base64url characters). Shown to its creator once. */
export function newSecret(prefix: string, encoding: 'hex' | 'base64url' = 'hex'): string {
  return `${prefix}${randomBytes(RANDOM_BYTES).toString(encoding)}`;
}

/** What is stored of a secret, and what its lookup item is keyed by: the SHA-256, hex. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
