import type { DomainError, ErrorKind, ErrorReason } from '../domain/errors.js';
import type { Face } from './route-definition.js';

/** The one mapping from domain error kinds to HTTP: status and the error code clients see. */
export const HTTP_ERRORS: Record<ErrorKind, { status: number; code: string }> = {
  invalid: { status: 400, code: 'invalid_request' },
  unauthorized: { status: 401, code: 'unauthorized' },
  forbidden: { status: 403, code: 'forbidden' },
  not_found: { status: 404, code: 'not_found' },
  conflict: { status: 409, code: 'conflict' },
  too_large: { status: 413, code: 'payload_too_large' },
};

/** faynoSync's words for the errors it words its own way (what its clients and tests read). */
export const FAYNOSYNC_ERROR_WORDS = {
  channel_name_taken: 'channel with this name already exists',
  platform_name_taken: 'platform with this name already exists',
  arch_name_taken: 'arch with this name already exists',
} as const satisfies Partial<Record<ErrorReason, string>>;

/**
 * Each face's one translator from reason codes to its wire text: an error whose reason the face
 * words differently is answered in the face's words, whatever its message says; any other error
 * keeps its message. No handler re-throws an error to reword it.
 */
export const FACE_ERROR_WORDS: Record<Face, Partial<Record<ErrorReason, string>>> = {
  service: {},
  faynosync: FAYNOSYNC_ERROR_WORDS,
  koolbase: {},
};

/** The message a face answers for a domain error. */
export function faceErrorMessage(error: DomainError, face: Face): string {
  return (error.reason && FACE_ERROR_WORDS[face][error.reason]) ?? error.message;
}
