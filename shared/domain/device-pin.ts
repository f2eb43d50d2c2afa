import { createHash } from 'node:crypto';
import { MAX_DEVICE_ID } from './rollout.js';

/**
 * A per-device override for QA and support: one device id of an app pinned to a channel, a
 * version, or both. The checks honour it for that device only; every other device keeps sharing
 * the edge cache (the edge adds a key component for a pinned device alone, see docs/release-model.md).
 */
export interface DevicePin {
  appId: string;
  /** `devicePinHash(deviceId)`: what the edge and the feed items carry (never the raw id). */
  hash: string;
  /** The id as the owner entered it, shown in the list (stored in the table, never at the edge). */
  deviceId: string;
  /** The channel the device gets instead of the one it asks for (a catalog id). */
  channelId?: string;
  /** The device gets this version and nothing newer (even while it is a partial or halted rollout). */
  version?: string;
  note?: string;
  createdAt: string;
  /** Who pinned it (`Caller.userId`). */
  by: string;
}

/**
 * Pins per app: the edge state lists every pinned hash (17 bytes each in JSON) in a KeyValueStore
 * value of at most 1 KB, beside the revision and up to 4 rollouts; 20 keep it below ~500 bytes.
 */
export const MAX_PINS_PER_APP = 20;

/** Hex characters of a pin hash: 64 bits of SHA-256, enough that two of 20 ids never collide in practice. */
export const PIN_HASH_CHARS = 16;

/** The hash of a device id the edge function computes the same way (`crypto.createHash('sha256')`, first 16 hex). */
export function devicePinHash(deviceId: string): string {
  return createHash('sha256').update(deviceId.slice(0, MAX_DEVICE_ID)).digest('hex').slice(0, PIN_HASH_CHARS);
}

/**
 * A device id a pin may name: what clients send in a header (`X-Device-ID`, `x-user-staging-id`),
 * so visible ASCII only, and at most the MAX_DEVICE_ID characters the edge hashes.
 */
export function isDeviceId(value: string): boolean {
  return value.length >= 1 && value.length <= MAX_DEVICE_ID && /^[\x21-\x7e]+$/.test(value);
}

/** A well-formed pin hash (what the edge forwards in `x-ota-pin`). */
export function isPinHash(value: string): boolean {
  return new RegExp(`^[0-9a-f]{${PIN_HASH_CHARS}}$`).test(value);
}
