import { z } from 'zod';
import { ARCHS, TARGETS } from '../domain/platform.js';
import { parseVersion } from '../domain/version.js';

/** S3's limit for one PUT; larger artifacts need multipart upload (roadmap). */
export const MAX_ARTIFACT_BYTES = 5 * 1024 ** 3;

export const createAppBody = z.object({
  name: z.string().trim().min(1, 'name is required').max(100, 'name must be at most 100 characters'),
});

export const setSlugBody = z.object({ slug: z.string() });

export const createReleaseBody = z.object({
  version: z.string().refine((v) => parseVersion(v) !== undefined, 'version must be semver (X.Y.Z, optionally -pre.release and +build)'),
  notes: z.string().max(20_000, 'notes must be at most 20000 characters').optional(),
  signature: z.string().max(8_192, 'signature must be at most 8192 characters').optional(),
  pub_date: z.iso.datetime({ offset: true, message: 'pub_date must be an RFC 3339 date-time' }).optional(),
});

export const createArtifactBody = z.object({
  target: z.enum(TARGETS, { message: `target must be one of ${TARGETS.join(', ')}` }),
  arch: z.enum(ARCHS, { message: `arch must be one of ${ARCHS.join(', ')}` }),
  file_size: z
    .number({ message: 'file_size must be a number of bytes' })
    .int('file_size must be a whole number of bytes')
    .min(1, 'file_size must be at least 1 byte')
    .max(MAX_ARTIFACT_BYTES, `file_size must be at most ${MAX_ARTIFACT_BYTES} bytes (single PUT)`),
  signature: z.string().max(8_192, 'signature must be at most 8192 characters').optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex characters')
    .optional(),
});
