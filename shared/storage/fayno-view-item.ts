/**
 * The one codec of an app's faynoSync view item (`FSAPP#<owner>` / `APP#<app name>`), shared by its
 * writer and management reads (FaynoViewRepository, over the SDK) and the public `/checkVersion`,
 * which reads it with the lean signed GetItem and must not load the SDK. Dependency-free for that reason.
 */
import { inflateRawSync } from 'node:zlib';
import type { FaynoView } from '../domain/fayno-view.js';
import { type ItemKey, keys } from './keys.js';

/** The attribute holding the view: DEFLATE-compressed JSON. */
export const VIEW_ATTRIBUTE = 'view';

/** The view from its stored bytes (undefined: no item). */
export function viewFromBytes(encoded: Uint8Array | undefined): FaynoView | undefined {
  return encoded ? (JSON.parse(inflateRawSync(encoded).toString('utf8')) as FaynoView) : undefined;
}

/** Reads an owner's app view by name with one GetItem (eventually consistent). */
export interface FaynoViewLookup {
  read(ownerName: string, appName: string): Promise<FaynoView | undefined>;
}

/** A lookup over the lean reader's signed GetItem; binary attributes travel base64-encoded in DynamoDB's JSON. */
export function leanViewLookup(reader: {
  getItem(key: ItemKey, attributes: readonly string[]): Promise<Record<string, { B?: string } | undefined> | undefined>;
}): FaynoViewLookup {
  return {
    read: async (ownerName, appName) => {
      const encoded = (await reader.getItem(keys.faynoView(ownerName, appName), [VIEW_ATTRIBUTE]))?.[VIEW_ATTRIBUTE]?.B;
      return viewFromBytes(encoded === undefined ? undefined : Buffer.from(encoded, 'base64'));
    },
  };
}
