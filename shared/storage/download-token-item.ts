/**
 * The one codec of a download token's lookup item (`DLTOKEN#<sha256>` / `DLTOKEN`), shared by its
 * writer (DownloadTokenRepository) and its readers: the repository's SDK read, and the lean
 * check path's signed GetItem, which must not load the SDK. Dependency-free for that reason.
 */
import type { DownloadTokenGrant } from '../domain/download-token.js';
import { type ItemKey, keys } from './keys.js';

/** Attribute names of the lookup item that a check reads; all strings, so the lean reader needs no number parsing. */
export const GRANT_ATTRIBUTES = { appId: 'appId', channelId: 'channelId', validUntil: 'validUntil' } as const;

type WireItem = Record<string, { S?: string } | undefined>;

/** A grant from DynamoDB's wire JSON (`{"appId":{"S":"…"}}`), as the lean reader receives it. */
export function grantFromWire(item: WireItem | undefined): DownloadTokenGrant | undefined {
  const appId = item?.[GRANT_ATTRIBUTES.appId]?.S;
  const validUntil = item?.[GRANT_ATTRIBUTES.validUntil]?.S;
  if (!item || !appId || !validUntil) return undefined;
  const channelId = item[GRANT_ATTRIBUTES.channelId]?.S;
  return { appId, validUntil, ...(channelId ? { channelId } : {}) };
}

/** A grant from a document-client item; undefined for an item that is not one (never a partial grant). */
export function grantFromItem(item: Record<string, unknown> | undefined): DownloadTokenGrant | undefined {
  const appId = item?.[GRANT_ATTRIBUTES.appId];
  const validUntil = item?.[GRANT_ATTRIBUTES.validUntil];
  const channelId = item?.[GRANT_ATTRIBUTES.channelId];
  if (typeof appId !== 'string' || typeof validUntil !== 'string') return undefined;
  return { appId, validUntil, ...(typeof channelId === 'string' && channelId ? { channelId } : {}) };
}

/** The lookup item's key for a token's hash. */
export function grantKey(hash: string): ItemKey {
  return keys.downloadToken(hash);
}

/** Reads one grant by the token's hash with one GetItem (eventually consistent). */
export interface GrantLookup {
  grant(hash: string): Promise<DownloadTokenGrant | undefined>;
}

/** A lookup over the lean reader's signed GetItem (the check path, which loads no SDK client). */
export function leanGrantLookup(reader: {
  getItem(key: ItemKey, attributes: readonly string[]): Promise<WireItem | undefined>;
}): GrantLookup {
  const attributes = Object.values(GRANT_ATTRIBUTES);
  return { grant: async (hash) => grantFromWire(await reader.getItem(grantKey(hash), attributes)) };
}
