/**
 * Domain errors: facts about a request ("not found", "conflict"), with no HTTP in them. The HTTP
 * layer (`shared/http/errors.ts`) maps each kind to a status code, in one place.
 */
export type ErrorKind = 'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'too_large';

const SHOWN_MAX = 64;

/** A caller's value quoted for an error message, cut short so a huge input is not echoed back whole. */
export function shown(value: string): string {
  return JSON.stringify(value.length > SHOWN_MAX ? `${value.slice(0, SHOWN_MAX)}…` : value);
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class Invalid extends DomainError {
  constructor(message: string) {
    super('invalid', message);
  }
}

export class Unauthorized extends DomainError {
  constructor(message = 'A valid bearer access token is required') {
    super('unauthorized', message);
  }
}

export class Forbidden extends DomainError {
  constructor(message = 'You may not do this') {
    super('forbidden', message);
  }
}

export class NotFound extends DomainError {
  constructor(message: string) {
    super('not_found', message);
  }
}

export class Conflict extends DomainError {
  constructor(message: string) {
    super('conflict', message);
  }
}

export class TooLarge extends DomainError {
  constructor(message: string) {
    super('too_large', message);
  }
}
