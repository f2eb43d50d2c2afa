/**
 * Keys and the SDK key item of the Koolbase face (kept beside keys.ts, in the same scheme, and
 * dependency-free so the lean check can load it):
 *
 * Item collection of an app (PK = APP#<appId>), deleted with the app:
 *   SK = KOOLBASE                   the project's Koolbase state: SDK keys (hashes) and the active bundle per channel
 *   SK = KBSEQ#<channel>            the last bundle number of a channel (an atomic counter)
 * SDK key (PK = SDKKEY#<sha256 of the key, hex>, SK = SDKKEY):
 *   the project, the key's channel limit, a copy of the project's active bundles and, once the key
 *   was rotated, the end of its grace period (`expiresAt`, the table's TTL attribute): the check
 *   reads exactly this one item. Every change of the active bundles rewrites all of them.
 */
import type { ActiveBundle } from '../domain/koolbase-bundle.js';
import type { ItemKey } from './keys.js';
import { TABLE_DEFINITION } from './table-definition.js';

export const koolbaseKeys = {
  state: (appId: string): ItemKey => ({ PK: `APP#${appId}`, SK: 'KOOLBASE' }),
  counter: (appId: string, channel: string): ItemKey => ({ PK: `APP#${appId}`, SK: `KBSEQ#${channel}` }),
  sdkKey: (hash: string): ItemKey => ({ PK: `SDKKEY#${hash}`, SK: 'SDKKEY' }),
} as const;

/** What the check reads of an SDK key item. */
export interface SdkKeyRecord {
  appId: string;
  /** The only channel the key may check, when it is limited to one. */
  channel?: string;
  /** The project's active bundle per channel name (only the key's channel for a limited key). */
  bundles: Record<string, ActiveBundle>;
  /**
   * End of the grace period of a rotated key, epoch seconds: from then on the check refuses the key
   * itself, since DynamoDB's TTL deletes the item only some time later.
   */
  expiresAt?: number;
}

/**
 * Attribute names of the SDK key item; `bundles` is JSON text so the lean reader parses it in one
 * step, `expiresAt` a number (the table's TTL attribute).
 */
export const SDK_KEY_ATTRIBUTES = {
  appId: 'appId',
  channel: 'channel',
  bundles: 'bundles',
  expiresAt: TABLE_DEFINITION.timeToLiveAttribute,
} as const;

/** An attribute in DynamoDB's wire JSON: a string or a number (numbers travel as text). */
export type WireAttribute = { S?: string; N?: string };

/** The item's record from DynamoDB's wire JSON (`{"appId":{"S":"…"}}`), as the lean reader receives it. */
export function sdkKeyRecordFromWire(item: Record<string, WireAttribute | undefined> | undefined): SdkKeyRecord | undefined {
  const appId = item?.[SDK_KEY_ATTRIBUTES.appId]?.S;
  if (!item || !appId) return undefined;
  const channel = item[SDK_KEY_ATTRIBUTES.channel]?.S;
  const expiresAt = item[SDK_KEY_ATTRIBUTES.expiresAt]?.N;
  return {
    appId,
    ...(channel ? { channel } : {}),
    bundles: JSON.parse(item[SDK_KEY_ATTRIBUTES.bundles]?.S ?? '{}') as Record<string, ActiveBundle>,
    // A number the item cannot parse as one is treated as already expired: refused, never served.
    ...(expiresAt !== undefined ? { expiresAt: Number.isFinite(Number(expiresAt)) ? Number(expiresAt) : 0 } : {}),
  };
}
