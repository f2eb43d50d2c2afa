import { ulid } from 'ulid';

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
