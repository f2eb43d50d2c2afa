/**
 * Domain errors: facts about a request ("not found", "conflict"), with no HTTP in them. The HTTP
 * layer (`shared/http/errors.ts`) maps each kind to a status code, in one place.
 */
export type ErrorKind = 'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'too_large' | 'too_many';

/**
 * Why an error was raised, when a face or a caller must tell it from others of its kind: code
 * recognises an error by its reason, never by its message (whose words may change).
 */
export type ErrorReason =
  /** The app already has a release of this version (its version claim is taken). */
  | 'version_exists'
  /** The owner already has a catalog entry of this kind with this name (its name claim is taken). */
  | 'channel_name_taken'
  | 'platform_name_taken'
  | 'arch_name_taken'
  /** An upload sent in the request was refused by verification and discarded (facts: file, reason). */
  | 'upload_rejected'
  /** A presigned upload being confirmed was refused by verification (facts: file, status, reason). */
  | 'upload_refused'
  /** A presigned upload being confirmed has not been received or verified yet (facts: count, files). */
  | 'upload_pending'
  /** The app or catalog entry an id names is not one the caller's account holds. */
  | 'app_not_found'
  | 'channel_not_found'
  | 'platform_not_found'
  | 'arch_not_found'
  /** The team user an id names is not one of the owner's (to change it; to delete it). */
  | 'team_user_not_found'
  | 'team_user_to_delete_not_found'
  /** The app already has MAX_PINS_PER_APP device pins: one must go before another comes. */
  | 'pin_limit';

/** What a face may need to word an error its own way (the file a refusal is about, its reason). */
export type ErrorFacts = Readonly<Record<string, string>>;

const SHOWN_MAX = 64;

/** A caller's value quoted for an error message, cut short so a huge input is not echoed back whole. */
export function shown(value: string): string {
  return JSON.stringify(value.length > SHOWN_MAX ? `${value.slice(0, SHOWN_MAX)}…` : value);
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly reason?: ErrorReason,
    readonly facts: ErrorFacts = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class Invalid extends DomainError {
  constructor(message: string, reason?: ErrorReason, facts?: ErrorFacts) {
    super('invalid', message, reason, facts);
  }
}

export class Unauthorized extends DomainError {
  constructor(message = 'A valid bearer access token is required', reason?: ErrorReason) {
    super('unauthorized', message, reason);
  }
}

export class Forbidden extends DomainError {
  constructor(message = 'You may not do this', reason?: ErrorReason) {
    super('forbidden', message, reason);
  }
}

export class NotFound extends DomainError {
  constructor(message: string, reason?: ErrorReason, facts?: ErrorFacts) {
    super('not_found', message, reason, facts);
  }
}

export class Conflict extends DomainError {
  constructor(message: string, reason?: ErrorReason, facts?: ErrorFacts) {
    super('conflict', message, reason, facts);
  }
}

export class TooLarge extends DomainError {
  constructor(message: string, reason?: ErrorReason) {
    super('too_large', message, reason);
  }
}

/** The same sender asked again too soon (a device re-reporting an install within the window). */
export class TooMany extends DomainError {
  constructor(message: string, reason?: ErrorReason) {
    super('too_many', message, reason);
  }
}
