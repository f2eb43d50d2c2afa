import type * as z from 'zod/mini';
import { Invalid, shown, TooLarge } from '../domain/errors.js';
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

/** A path parameter that the route table promises is present, percent-decoded. */
export function pathParam(event: HttpEvent, name: string): string {
  const raw = event.pathParameters?.[name];
  if (raw === undefined || raw === '') throw new Invalid(`Missing path parameter ${name}`);
  return decoded(raw, `Path parameter ${name}`);
}

/** A query parameter (API Gateway joins repeats with a comma), percent-decoded; undefined when absent or empty. */
export function queryParam(event: HttpEvent, name: string): string | undefined {
  const raw = event.queryStringParameters?.[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw.length > 256) throw new Invalid(`Query parameter ${name} is too long`);
  return decoded(raw, `Query parameter ${name}`);
}

function decoded(raw: string, what: string): string {
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    throw new Invalid(`${what} is not valid percent-encoding`);
  }
  if (!value.isWellFormed()) throw new Invalid(`${what} contains an unpaired UTF-16 surrogate`);
  return value;
}

/**
 * Throws when any string in a parsed JSON value holds an unpaired surrogate (it would break JSON
 * consumers downstream). Walks with its own stack: a 64 KB body can nest 32,000 levels deep, far
 * more than the call stack takes.
 */
function assertWellFormed(root: unknown): void {
  // A deep value's path is long: the message names its start only.
  const refuse = (path: string) =>
    new Invalid(`${path === '' ? 'body' : path.length > 60 ? `${path.slice(0, 60)}…` : path}: contains an unpaired UTF-16 surrogate`);
  const pending: [unknown, string][] = [[root, '']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, path] = next;
    if (typeof value === 'string') {
      if (!value.isWellFormed()) throw refuse(path);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push([value[i], `${path}[${i}]`]);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value).reverse()) {
        if (!k.isWellFormed()) throw refuse(path);
        pending.push([v, path ? `${path}.${k}` : k]);
      }
    }
  }
}

/** The raw body as text (API Gateway base64-encodes binary bodies). */
export function bodyText(event: HttpEvent, limit = MAX_BODY_BYTES): string {
  const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  if (Buffer.byteLength(text) > limit) throw new TooLarge(`Request body is over ${limit} bytes`);
  return text;
}

/** Parses and validates a JSON body against a zod schema; every failure is a 400. */
export function jsonBody<S extends z.ZodMiniType>(event: HttpEvent, schema: S): z.infer<S> {
  const text = bodyText(event);
  if (text.trim() === '') throw new Invalid('Request body must be a JSON object');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Invalid('Request body is not valid JSON');
  }
  assertWellFormed(parsed);
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    // zod/mini carries no messages of its own: a strict object's unknown fields are named here.
    const message =
      issue?.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys
            .slice(0, 5)
            .map((k) => shown(k))
            .join(', ')}`
        : issue?.message;
    throw new Invalid(`${where}${message ?? 'invalid body'}`);
  }
  return result.data;
}
