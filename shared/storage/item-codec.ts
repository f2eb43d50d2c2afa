/**
 * Typed reads of stored items: a field that is missing or of the wrong type is a corrupt item,
 * reported by name, never silently cast.
 */
export type Item = Record<string, unknown>;

function fail(item: Item, name: string, expected: string): never {
  throw new Error(`Stored item ${String(item.PK)}/${String(item.SK)}: ${name} is not ${expected}`);
}

export function str(item: Item, name: string): string {
  const value = item[name];
  return typeof value === 'string' ? value : fail(item, name, 'a string');
}

export function optStr(item: Item, name: string): string | undefined {
  const value = item[name];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : fail(item, name, 'a string');
}

export function num(item: Item, name: string): number {
  const value = item[name];
  return typeof value === 'number' ? value : fail(item, name, 'a number');
}

export function optNum(item: Item, name: string): number | undefined {
  const value = item[name];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'number' ? value : fail(item, name, 'a number');
}

export function bool(item: Item, name: string, fallback = false): boolean {
  const value = item[name];
  if (value === undefined || value === null) return fallback;
  return typeof value === 'boolean' ? value : fail(item, name, 'a boolean');
}

export function strList(item: Item, name: string): string[] {
  const value = item[name];
  if (value === undefined || value === null) return [];
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : fail(item, name, 'a list of strings');
}

/** Drops undefined fields so optional attributes are absent rather than null. */
export function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
