/** faynoSync's wire conventions shared by its account routes: JSON bodies, delete ids and delete failures. */
import { DomainError, Invalid } from '../../domain/errors.js';
import { faceErrorMessage, HTTP_ERRORS } from '../../http/errors.js';
import type { HttpEvent, HttpResult } from '../../http/http-types.js';
import { bodyText, queryParam } from '../../http/request.js';
import { json } from '../../http/respond.js';

/** faynoSync's words for a request it cannot read, per endpoint family. */
export const INVALID_BODY = 'Invalid request body';
/** What faynoSync says for a delete whose id is not one of its ids. */
export const BAD_DELETE_ID = 'the provided hex string is not a valid ObjectID';
/** faynoSync's details text for a delete refused because something still uses the resource. */
export const RELATED_ITEMS = "you can't delete this item because it is related to other items";

/** The request body as a JSON object whatever the Content-Type says (as faynoSync reads it); `message` otherwise. */
export function readJsonObject(event: HttpEvent, message: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText(event));
  } catch {
    throw new Invalid(message);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Invalid(message);
  return parsed as Record<string, unknown>;
}

/** A non-empty string field, or `message`. */
export function requiredString(body: Record<string, unknown>, field: string, message: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') throw new Invalid(message);
  return value;
}

/**
 * A delete's failure as faynoSync shapes it: `{"details":"<cause>","error":"failed to delete <thing>"}`,
 * with our status (404 unknown or another owner's, 409 in use) rather than faynoSync's 500.
 */
export function failedDelete(thing: string, error: unknown): HttpResult {
  if (!(error instanceof DomainError) || error.kind === 'invalid' || error.kind === 'unauthorized') throw error;
  const details = error.kind === 'conflict' ? RELATED_ITEMS : faceErrorMessage(error, 'faynosync');
  return json(HTTP_ERRORS[error.kind].status, { details, error: `failed to delete ${thing}` });
}

/** The `?id=` of a delete; faynoSync's 400 when it is missing. */
export function deleteId(event: HttpEvent): string {
  const id = queryParam(event, 'id');
  if (id === undefined) throw new Invalid(BAD_DELETE_ID);
  return id;
}
