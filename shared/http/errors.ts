import type { ErrorKind } from '../domain/errors.js';

/** The one mapping from domain error kinds to HTTP: status and the error code clients see. */
export const HTTP_ERRORS: Record<ErrorKind, { status: number; code: string }> = {
  invalid: { status: 400, code: 'invalid_request' },
  unauthorized: { status: 401, code: 'unauthorized' },
  forbidden: { status: 403, code: 'forbidden' },
  not_found: { status: 404, code: 'not_found' },
  conflict: { status: 409, code: 'conflict' },
  too_large: { status: 413, code: 'payload_too_large' },
};
