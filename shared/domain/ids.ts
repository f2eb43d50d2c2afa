import { ulid } from 'ulid';
import { Invalid, shown } from './errors.js';

/** Ids the service mints: ULIDs (26 characters of Crockford base32). */
const ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** A new id. */
export function newId(): string {
  return ulid();
}

/** True for an id this service could have minted. */
export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** Validates an id taken from a request; anything else is a 400 before it reaches storage. */
export function requireId(value: string, what: string): string {
  if (!isId(value)) throw new Invalid(`${what} ${shown(value)} is not a valid id`);
  return value;
}
