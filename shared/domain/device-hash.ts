/**
 * Device ids are never stored: each is replaced by the first 64 bits of HMAC-SHA256 under the
 * deployment's telemetry key, scoped by the app (the same device in two apps gives two unrelated
 * hashes, and without the key a stored hash cannot be tested against a guessed id).
 */
import { createHmac } from 'node:crypto';
import type { Hash64 } from './hyperloglog.js';

export type DeviceHasher = (appScope: string, deviceId: string) => Hash64;

/** A hasher under `key` (at least 32 bytes). */
export function deviceHasher(key: Uint8Array): DeviceHasher {
  if (key.length < 32) throw new Error('The telemetry key must hold at least 32 bytes');
  return (appScope, deviceId) => {
    const digest = createHmac('sha256', key).update(appScope).update('\0').update(deviceId).digest();
    return { hi: digest.readUInt32BE(0), lo: digest.readUInt32BE(4) };
  };
}
