import { Invalid } from './errors.js';

/**
 * Every paging cursor of the API: the base64url of the key the next page starts after. Opaque to
 * clients, and URL-safe as it is, so the `next` of a page goes into `?cursor=` verbatim (a raw
 * sort key holds `#`, which a URL reads as the start of a fragment).
 */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]{1,512}$/;

/** The key a cursor carries; Invalid for a cursor this service did not give (not its base64url, or a key `valid` refuses). */
export function decodeCursor(cursor: string, valid: (key: string) => boolean): string {
  const key = BASE64URL.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : undefined;
  // Node's decoder skips what is not base64url; only the exact encoding of a valid key is a cursor.
  if (key === undefined || encodeCursor(key) !== cursor || !valid(key)) throw new Invalid('cursor is not one this service gave');
  return key;
}
