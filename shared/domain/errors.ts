/**
 * Domain errors: facts about a request ("not found", "conflict"), with no HTTP in them. The HTTP
 * layer (`shared/http/errors.ts`) maps each kind to a status code, in one place.
 */
export type ErrorKind = 'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'too_large';

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
  | 'arch_name_taken';

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
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class Invalid extends DomainError {
  constructor(message: string, reason?: ErrorReason) {
    super('invalid', message, reason);
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
  constructor(message: string, reason?: ErrorReason) {
    super('not_found', message, reason);
  }
}

export class Conflict extends DomainError {
  constructor(message: string, reason?: ErrorReason) {
    super('conflict', message, reason);
  }
}

export class TooLarge extends DomainError {
  constructor(message: string, reason?: ErrorReason) {
    super('too_large', message, reason);
  }
}
