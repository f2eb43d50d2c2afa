import { Invalid, TooLarge } from '../domain/errors.js';
import type { HttpEvent } from './http-types.js';
import { header } from './request.js';

/**
 * The largest request body a function receives: Lambda takes at most 6 MB per invocation and API
 * Gateway base64-encodes binary bodies (×4/3), so about 4.4 MB of raw body fit; 4 MiB leaves room
 * for the rest of the event. The edge answers a larger declared body itself (see `bodyLimit` in
 * the route table), so this is the second line, for bodies sent without a Content-Length.
 */
export const FUNCTION_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export interface FormFile {
  /** The part's field name (`file`, `bundle`). */
  field: string;
  /** The file name the client sent, without any directory part. */
  name: string;
  bytes: Uint8Array;
}

export interface Form {
  /** Text fields; a repeated field keeps its last value. */
  fields: Map<string, string>;
  files: FormFile[];
}

const MAX_FIELD_CHARS = 64 * 1024;
const MAX_FILES = 20;

/** True when the request says it carries multipart/form-data. */
export function isMultipart(event: HttpEvent): boolean {
  return /^multipart\/form-data\s*;/i.test(header(event, 'content-type') ?? '');
}

/**
 * Parses a multipart/form-data body (the platform's own WHATWG parser, as in `fetch`). Every
 * failure is a 400; a body over `limit` a 413.
 */
export async function parseMultipart(event: HttpEvent, limit = FUNCTION_BODY_LIMIT_BYTES): Promise<Form> {
  const contentType = header(event, 'content-type') ?? '';
  if (!isMultipart(event)) throw new Invalid('Request body must be multipart/form-data');
  const body = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64') : Buffer.from(event.body ?? '', 'utf8');
  if (body.byteLength > limit) throw new TooLarge(`Request body is over ${limit} bytes`);
  let data: FormData;
  try {
    data = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new Invalid('Request body is not valid multipart/form-data');
  }
  const form: Form = { fields: new Map(), files: [] };
  for (const [field, value] of data) {
    if (typeof value === 'string') {
      if (value.length > MAX_FIELD_CHARS) throw new Invalid(`Form field ${field} is too long`);
      if (!value.isWellFormed()) throw new Invalid(`Form field ${field} contains an unpaired UTF-16 surrogate`);
      form.fields.set(field, value);
      continue;
    }
    if (form.files.length >= MAX_FILES) throw new Invalid(`At most ${MAX_FILES} files per request`);
    const name = baseName(value.name);
    form.files.push({ field, name, bytes: new Uint8Array(await value.arrayBuffer()) });
  }
  return form;
}

/** `C:\\dir\\app.dmg` or `dir/app.dmg` → `app.dmg` (browsers and curl send the bare name; some tools do not). */
function baseName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  if (!base.isWellFormed()) throw new Invalid('A file name contains an unpaired UTF-16 surrogate');
  return base.slice(0, 255);
}
