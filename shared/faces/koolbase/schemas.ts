import * as z from 'zod/mini';
import { MAX_KEY_GRACE_SECONDS } from '../../domain/koolbase-api-key.js';
import { component } from '../../http/route-definition.js';
import { haltedAnswer } from '../../http/schemas.js';

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

/* Koolbase's answers (dto.ts, check.ts, the upload handlers), in its server's field names. */
const nullableString = z.nullable(z.string());

export const bundleAnswer = component(
  'KoolbaseBundle',
  z.object({
    id: z.string(),
    project_id: z.string(),
    channel: z.string(),
    version: z.number(),
    checksum: nullableString,
    storage_path: nullableString,
    file_size: z.number(),
    mandatory: z.boolean(),
    active: z.boolean(),
    halted: haltedAnswer,
    release_notes: nullableString,
    created_at: z.string(),
    updated_at: z.string(),
  }),
);

export const bundleListAnswer = z.array(bundleAnswer);

const keyShape = {
  id: z.string(),
  prefix: z.string(),
  channel: nullableString,
  created_at: z.string(),
  expires_at: nullableString,
  replaced_by: nullableString,
};

export const keyAnswer = component('KoolbaseKey', z.object(keyShape));

export const keyListAnswer = z.array(keyAnswer);

/** A new or rotated key: the listed fields and the key, shown once. */
export const newKeyAnswer = z.object({ ...keyShape, key: z.string() });

/** A presigned upload slot for a bundle, and where to confirm it. */
export const uploadSlotAnswer = z.object({
  bundle_id: z.string(),
  project_id: z.string(),
  channel: z.string(),
  version: z.number(),
  upload_url: z.string(),
  method: z.literal('PUT'),
  file_size: z.number(),
  expires_at: z.string(),
  complete_url: z.string(),
});

/** The SDK check: `has_update` alone, or the update's fields with it. */
export const checkAnswerSchema = z.union([
  z.object({ has_update: z.literal(false) }),
  z.object({
    has_update: z.literal(true),
    version: z.number(),
    checksum: z.string(),
    mandatory: z.boolean(),
    download_url: z.string(),
    release_notes: nullableString,
    file_size: z.number(),
  }),
]);
