/**
 * The values a fuzz run throws at the service: hostile path segments and query values (already in
 * request-line form: ASCII, percent-encoded where a client would have to), hostile JSON values of
 * every type, and plausible values derived from a route's request schema.
 */
import type * as z from 'zod/mini';
import type { Rng } from './prng.js';

/** Path segments a client could send: traversal, broken or odd percent-encodings, null bytes, huge, unicode, injection. */
export const HOSTILE_SEGMENTS: readonly string[] = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '..%5C..%5Cwindows',
  '%252e%252e%252f',
  '%00',
  'abc%00def',
  '%',
  '%zz',
  '%4',
  '%C0%AF',
  '%C0%80',
  '%ED%A0%80',
  '%ED%BF%BF',
  '%F4%90%80%80',
  '%FF%FE',
  '%F0%9F%92%A9',
  '%E2%80%AE%E2%80%8B',
  'e%CC%81%CC%81%CC%81',
  '%EF%BB%BF',
  '\u00c3\u00a9',
  '\u00ff\u00fe',
  '%20',
  '+',
  '%2B',
  '*',
  '~',
  '%3B',
  'a;b',
  'a,b',
  '-1',
  '0',
  '1e309',
  'NaN',
  'Infinity',
  'null',
  'undefined',
  'true',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  "'%20OR%20'1'='1",
  '%7B%22$ne%22:null%7D',
  '$%7Bjndi:ldap:%2F%2Fx%7D',
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '%7B%7B7*7%7D%7D',
  'CON',
  'latest.json',
  'RELEASES',
  'appcast.xml',
  '0.0.0',
  '1.0.0-',
  '1..0',
  'v1.0.0',
  '01.02.03',
  '1.0.0+build.%F0%9F%92%A9',
  '999999999999999999999.0.0',
  '1.0.0.0.0.0.0.0.0',
  '0000000000000000000000000',
  '00000000000000000000000000',
  'ZZZZZZZZZZZZZZZZZZZZZZZZZZ',
  'UUUUUUUUUUUUUUUUUUUUUUUUUU',
  '01hzzzzzzzzzzzzzzzzzzzzzzz',
  'PK%23x',
  'APP%23x%23REL%23y',
];

/** Strings that end up inside JSON values, form fields and decoded query values. */
export const HOSTILE_TEXTS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\t\r\n',
  '..',
  '../../etc/passwd',
  '..\\..\\boot.ini',
  '/',
  '//',
  '%00',
  '%zz',
  '\ud800',
  '\udfff',
  '\ud83d\ude00',
  '\u202e\u200b\ufeff',
  'e\u0301\u0301\u0301',
  '\u00df\u0130\u0131',
  '\uffff',
  '-1',
  '0',
  '1e309',
  'NaN',
  'null',
  'true',
  '__proto__',
  'constructor',
  "' OR '1'='1",
  '{"$ne":null}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4j-style lookup, sent as plain text
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '{{7*7}}',
  'PK#x',
  'APP#x#REL#y',
  '1.0.0-',
  '999999999999999999999.0.0',
  'stable',
  'any',
];

/** A hostile path segment (or a generated one: long, random bytes percent-encoded). */
export function hostileSegment(rng: Rng): string {
  return rng.weighted<() => string>([
    [70, () => rng.pick(HOSTILE_SEGMENTS)],
    [8, () => 'A'.repeat(rng.pick([27, 41, 65, 257, 1025, 4000, 8000]))],
    [8, () => percentEncode(rng.bytes(rng.between(1, 40)))],
    [8, () => encodeText(rng.pick(HOSTILE_TEXTS)) || '%20'],
    [6, () => encodeText(unicodeText(rng, rng.between(1, 30)))],
  ])();
}

/** A hostile string for JSON, forms and (encoded) queries. */
export function hostileText(rng: Rng): string {
  return rng.weighted<() => string>([
    [60, () => rng.pick(HOSTILE_TEXTS)],
    [12, () => 'x'.repeat(rng.pick([41, 101, 257, 1_001, 8_193, 20_001, 60_001]))],
    [14, () => unicodeText(rng, rng.between(1, 200))],
    [8, () => rng.bytes(rng.between(1, 64)).toString('latin1')],
    [6, () => String(rng.pick([-1, 0, 2 ** 53, -(2 ** 63), 1e308, 0.1]))],
  ])();
}

/** Text from every plane: CJK, emoji, combining marks, right-to-left, control characters, lone surrogates. */
export function unicodeText(rng: Rng, length: number): string {
  const ranges: readonly [number, number][] = [
    [0x20, 0x7e],
    [0x00, 0x1f],
    [0x80, 0xff],
    [0x300, 0x36f],
    [0x590, 0x6ff],
    [0x4e00, 0x9fff],
    [0x200b, 0x202e],
    [0xd800, 0xdfff],
    [0xfff0, 0xffff],
    [0x1f300, 0x1faff],
    [0x10000, 0x10ffff],
  ];
  let out = '';
  for (let i = 0; i < length; i++) {
    const [lo, hi] = rng.pick(ranges);
    out += String.fromCodePoint(rng.between(lo, hi));
  }
  return out;
}

/**
 * Percent-encodes text as UTF-8 the way a client builds a URL, except that it never throws: a lone
 * surrogate becomes U+FFFD (send `%ED%A0%80` from HOSTILE_SEGMENTS for the raw bytes).
 */
export function encodeText(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(ch) ? ch : `%${byte.toString(16).padStart(2, '0').toUpperCase()}`;
  }
  return out;
}

export function percentEncode(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
}

/** A JSON value of a type other than the one expected: the type confusions a client can send. */
export function confusedValue(rng: Rng, depth = 0): unknown {
  return rng.weighted<() => unknown>([
    [10, () => null],
    [10, () => rng.pick([true, false])],
    [10, () => rng.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, 100, 101, 10_000])],
    [15, () => hostileText(rng)],
    [8, () => rng.pick(['true', 'false', '1', '0', '100'])],
    [10, () => (depth > 2 ? [] : Array.from({ length: rng.between(0, 3) }, () => confusedValue(rng, depth + 1)))],
    [10, () => (depth > 2 ? {} : { [rng.pick(['a', '__proto__', 'constructor', 'type', 'id'])]: confusedValue(rng, depth + 1) })],
    [3, () => ({ toString: 'x', valueOf: 1 })],
  ])();
}

/** `[[[…]]]` or `{"a":{"a":…}}` nested `depth` deep, as JSON text. */
export function deeplyNested(rng: Rng, depth: number): string {
  return rng.chance(0.5) ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

interface ZodDef {
  type: string;
  shape?: Record<string, { _zod: { def: ZodDef } }>;
  innerType?: { _zod: { def: ZodDef } };
  element?: { _zod: { def: ZodDef } };
  entries?: Record<string, string>;
  options?: { _zod: { def: ZodDef } }[];
  format?: string;
}

/** A plausible value for a field by its name; undefined when the name says nothing. */
export type FieldValues = (name: string) => unknown;

/**
 * A value that should satisfy a request schema: walks the zod definition, taking a value by field
 * name where `named` knows one and by type otherwise. Optional fields are included at random.
 */
export function sampleOf(schema: z.ZodMiniType, rng: Rng, named: FieldValues): unknown {
  return sampleDef((schema as unknown as { _zod: { def: ZodDef } })._zod.def, rng, named, '');
}

function sampleDef(def: ZodDef, rng: Rng, named: FieldValues, field: string): unknown {
  const known = field ? named(field) : undefined;
  switch (def.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(def.shape ?? {})) {
        const childDef = child._zod.def;
        if (childDef.type === 'optional' && rng.chance(0.35)) continue;
        out[key] = sampleDef(childDef, rng, named, key);
      }
      return out;
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'pipe':
      return def.innerType ? sampleDef(def.innerType._zod.def, rng, named, field) : known;
    case 'array': {
      if (known !== undefined && Array.isArray(known)) return known;
      const element = def.element?._zod.def;
      return element ? Array.from({ length: rng.between(1, 2) }, () => sampleDef(element, rng, named, field)) : [];
    }
    case 'enum':
      return rng.pick(Object.values(def.entries ?? { x: 'x' }));
    case 'union':
      return def.options?.length ? sampleDef(rng.pick(def.options)._zod.def, rng, named, field) : known;
    case 'boolean':
      return typeof known === 'boolean' ? known : rng.chance(0.5);
    case 'number':
    case 'int':
      return typeof known === 'number' ? known : rng.between(1, 100);
    case 'string':
      if (typeof known === 'string') return known;
      if (def.format === 'datetime') return new Date(Date.UTC(2030, 0, 1) + rng.int(1e9)).toISOString();
      return `fz${rng.int(1e6)}`;
    default:
      return known ?? `fz${rng.int(1e6)}`;
  }
}
