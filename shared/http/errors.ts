import type { DomainError, ErrorFacts, ErrorKind, ErrorReason } from '../domain/errors.js';
import type { Face } from './route-definition.js';

/** The one mapping from domain error kinds to HTTP: status and the error code clients see. */
export const HTTP_ERRORS: Record<ErrorKind, { status: number; code: string }> = {
  invalid: { status: 400, code: 'invalid_request' },
  unauthorized: { status: 401, code: 'unauthorized' },
  forbidden: { status: 403, code: 'forbidden' },
  not_found: { status: 404, code: 'not_found' },
  conflict: { status: 409, code: 'conflict' },
  too_large: { status: 413, code: 'payload_too_large' },
  too_many: { status: 429, code: 'too_many_requests' },
};

/** A face's text for one reason: fixed words, or words made from the error's facts (the file it is about). */
export type FaceWords = string | ((facts: ErrorFacts) => string);

/** faynoSync's words for the errors it words its own way (what its clients and tests read). */
export const FAYNOSYNC_ERROR_WORDS = {
  channel_name_taken: 'channel with this name already exists',
  platform_name_taken: 'platform with this name already exists',
  arch_name_taken: 'arch with this name already exists',
  app_not_found: 'app not found',
  channel_not_found: 'channel not found',
  platform_not_found: 'platform not found',
  arch_not_found: 'arch not found',
  team_user_to_delete_not_found: "Team user not found or you don't have permission to delete it",
  upload_refused: (f) => `file ${f.file} was ${f.status}: ${f.reason}; request a new upload URL for it with POST /upload/presign`,
  upload_pending: (f) =>
    `still verifying ${f.count} file${f.count === '1' ? '' : 's'} (${f.files}): PUT every file to its upload_url, then confirm again`,
} as const satisfies Partial<Record<ErrorReason, FaceWords>>;

/** Koolbase's words: one bundle per upload, named as its SDK and CLI name it. */
export const KOOLBASE_ERROR_WORDS = {
  upload_rejected: (f) => `bundle rejected: ${f.reason}`,
  upload_refused: (f) => `bundle rejected: ${f.reason}`,
  upload_pending: 'bundle not received yet: PUT the file to upload_url, then call complete again (verification takes a moment)',
} as const satisfies Partial<Record<ErrorReason, FaceWords>>;

/**
 * Each face's one translator from reason codes to its wire text: an error whose reason the face
 * words differently is answered in the face's words, whatever its message says; any other error
 * keeps its message. No handler re-throws an error to reword it.
 */
export const FACE_ERROR_WORDS: Record<Face, Partial<Record<ErrorReason, FaceWords>>> = {
  service: {},
  faynosync: FAYNOSYNC_ERROR_WORDS,
  koolbase: KOOLBASE_ERROR_WORDS,
};

/** The message a face answers for a domain error. */
export function faceErrorMessage(error: DomainError, face: Face): string {
  const words = error.reason && FACE_ERROR_WORDS[face][error.reason];
  if (words === undefined || words === '') return error.message;
  return typeof words === 'string' ? words : words(error.facts);
}
