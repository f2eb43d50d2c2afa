import * as z from 'zod/mini';
import { MAX_KEY_GRACE_SECONDS } from '../../domain/koolbase-api-key.js';

/** Request bodies of the Koolbase routes (the middleware validates them; a failure is a 400 in Koolbase's shape). */
export const setMandatoryBody = z.object({ mandatory: z.boolean({ error: 'mandatory must be true or false' }) });

export const createKeyBody = z.object({ channel: z.optional(z.string().check(z.maxLength(40, 'channel must be at most 40 characters'))) });

const GRACE_RANGE = `must be a whole number of seconds from 0 to ${MAX_KEY_GRACE_SECONDS} (30 days)`;

/** How long the rotated key keeps working beside its replacement; absent: the default (24 hours). */
export const rotateKeyBody = z.object({
  grace_seconds: z.optional(z.int({ error: GRACE_RANGE }).check(z.minimum(0, GRACE_RANGE), z.maximum(MAX_KEY_GRACE_SECONDS, GRACE_RANGE))),
});

export const requestUploadBody = z.object({
  channel: z.optional(z.string().check(z.maxLength(40, 'channel must be at most 40 characters'))),
  mandatory: z.optional(z.boolean({ error: 'mandatory must be true or false' })),
  release_notes: z.optional(z.string().check(z.maxLength(10_000, 'release_notes must be at most 10000 characters'))),
  file_size: z
    .int({ error: 'file_size must be a whole number of bytes' })
    // Over 50 MB is the service's 413, in Koolbase's words.
    .check(z.minimum(1, 'file_size must be at least 1 byte')),
  sha256: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex characters'))),
});
