import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * Item size as DynamoDB bills and limits it ("Item sizes and formats" in the DynamoDB developer
 * guide): per attribute the UTF-8 length of its name plus its value; a string is its UTF-8 length,
 * a number about one byte per two significant digits plus one, binary its length, a boolean or null
 * one byte, a list or map 3 bytes plus 1 per element plus the elements (a map's names included).
 */
export function itemSize(item: Record<string, AttributeValue>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += utf8(name) + valueSize(value);
  return size;
}

/** 4 KB read units one read of an item of `bytes` consumes (the item size rounded up to the next 4 KB). */
export function readUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 4096));
}

/** Capacity units of one eventually consistent GetItem: half a unit per 4 KB. */
export function eventuallyConsistentRcu(bytes: number): number {
  return readUnits(bytes) / 2;
}

/** Write units of putting an item inside a transaction: 2 per started KB (twice a plain write). */
export function transactionalWcu(bytes: number): number {
  return 2 * Math.max(1, Math.ceil(bytes / 1024));
}

/** Capacity units of a strongly consistent Query returning items of these sizes: 1 per started 4 KB of their sum. */
export function consistentQueryRcu(sizes: number[]): number {
  return Math.max(1, Math.ceil(sizes.reduce((a, b) => a + b, 0) / 4096));
}

/** DynamoDB's per-item ceiling. */
export const MAX_ITEM_BYTES = 400 * 1024;

function utf8(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function numberSize(text: string): number {
  const mantissa = text.replace(/^[-+]/, '').split(/e/i)[0] ?? '';
  const digits = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((s, x) => s + utf8(x), 0);
  if (value.NS !== undefined) return value.NS.reduce((s, x) => s + numberSize(x), 0);
  if (value.BS !== undefined) return value.BS.reduce((s, x) => s + x.length, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((s, x) => s + 1 + valueSize(x), 0);
  if (value.M !== undefined) return 3 + Object.entries(value.M).reduce((s, [k, x]) => s + 1 + utf8(k) + valueSize(x), 0);
  throw new Error(`Unknown attribute value: ${JSON.stringify(value).slice(0, 80)}`);
}
