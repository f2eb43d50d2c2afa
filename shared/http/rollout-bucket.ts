import { isPinHash } from '../domain/device-pin.js';
import { BUCKETS, deviceBucket } from '../domain/rollout.js';
import { DEVICE_BUCKET_HEADER, DEVICE_ID_HEADERS, DEVICE_PIN_HEADER } from './edge.js';
import type { HttpEvent } from './http-types.js';
import { header } from './request.js';

/**
 * The device's rollout bucket for a request. Behind the edge the CloudFront Function has put it in
 * `x-ota-bucket` (overwriting anything the client sent) and the raw device id never reaches the
 * origin; where there is no edge (the local stack) it is derived here the same way.
 */
export function rolloutBucket(event: HttpEvent): number | undefined {
  const fromEdge = header(event, DEVICE_BUCKET_HEADER);
  if (fromEdge !== undefined) {
    const bucket = Number(fromEdge);
    return Number.isInteger(bucket) && bucket >= 0 && bucket < BUCKETS ? bucket : undefined;
  }
  for (const name of DEVICE_ID_HEADERS) {
    const id = header(event, name);
    if (id) return deviceBucket(id);
  }
  return undefined;
}

/** The hash of the device's pin the edge forwarded (`x-ota-pin`, for a pinned device only), when it has a pin hash's shape. */
export function devicePinOf(event: HttpEvent): string | undefined {
  const pin = header(event, DEVICE_PIN_HEADER);
  return pin !== undefined && isPinHash(pin) ? pin : undefined;
}
