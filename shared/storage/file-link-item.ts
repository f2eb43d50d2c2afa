import type { FileLink } from '../domain/file-link.js';
import { type Item, str } from './item-codec.js';

/** The attribute that holds a link (JSON): its text is also its fingerprint, so a rebuild rewrites only changed links. */
export const LINK_ATTRIBUTE = 'link';

/** The stored text of a link. */
export function encodeLink(link: FileLink): string {
  return JSON.stringify(link);
}

/** A link from its stored text (undefined for none); a malformed one is a corrupt item. */
export function decodeLink(text: string | undefined): FileLink | undefined {
  if (text === undefined) return undefined;
  const link = JSON.parse(text) as Partial<FileLink>;
  if (
    typeof link.appId !== 'string' ||
    typeof link.releaseId !== 'string' ||
    !Array.isArray(link.channels) ||
    typeof link.file?.key !== 'string'
  ) {
    throw new Error('Stored download link is malformed');
  }
  return link as FileLink;
}

/** The stored text of a link item (as the document client reads it). */
export function linkTextOf(item: Item): string {
  return str(item, LINK_ATTRIBUTE);
}

/** Stored links of an app: `PK|SK` → stored text. */
export type StoredLinks = Map<string, string>;

/** The id a stored link goes by in StoredLinks. */
export function storedLinkId(key: { PK?: unknown; SK?: unknown }): string {
  return `${String(key.PK)}|${String(key.SK)}`;
}
