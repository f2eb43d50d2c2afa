import type { z } from 'zod';
import { Invalid, PayloadTooLarge } from './errors.js';
import type { HttpEvent } from './http-types.js';

const MAX_BODY_BYTES = 64 * 1024;

/** Reads a header case-insensitively (API Gateway lower-cases them; the local gateway too). */
export function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** A path parameter that the route table promises is present. */
export function pathParam(event: HttpEvent, name: string): string {
  const raw = event.pathParameters?.[name];
  if (raw === undefined || raw === '') throw new Invalid(`Missing path parameter ${name}`);
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new Invalid(`Path parameter ${name} is not valid percent-encoding`);
  }
}

/** Parses and validates a JSON body against a zod schema; every failure is a 400. */
export function jsonBody<S extends z.ZodType>(event: HttpEvent, schema: S): z.infer<S> {
  const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new PayloadTooLarge(`Request body is over ${MAX_BODY_BYTES} bytes`);
  if (text.trim() === '') throw new Invalid('Request body must be a JSON object');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Invalid('Request body is not valid JSON');
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new Invalid(`${where}${issue?.message ?? 'invalid body'}`);
  }
  return result.data;
}
