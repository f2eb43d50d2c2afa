import * as z from 'zod';
import { UPDATER_TYPES } from '../domain/catalog.js';
import { parseVersion } from '../domain/version.js';

/**
 * Request schemas of the management API, referenced by the route table (`request` of each route):
 * the middleware validates every body against its route's schema before the handler runs.
 */

/** S3's limit for one PUT; larger artifacts need multipart upload (feeds issue). */
export const MAX_ARTIFACT_BYTES = 5 * 1024 ** 3;

const name = (what: string, max: number) =>
  z.string().trim().min(1, `${what} is required`).max(max, `${what} must be at most ${max} characters`);
const text = (what: string, max: number) => z.string().max(max, `${what} must be at most ${max} characters`);
const signature = text('signature', 8_192);
const dateTime = (what: string) => z.iso.datetime({ offset: true, message: `${what} must be an RFC 3339 date-time` });
const catalogName = z.string().max(40, 'name must be at most 40 characters');
const percent = z
  .number({ message: 'percent must be a number' })
  .int('percent must be a whole number')
  .min(0, 'percent must be 0-100')
  .max(100, 'percent must be 0-100');

export const createAppBody = z.object({ name: name('name', 100) });

export const updateAppBody = z.object({
  name: name('name', 100).optional(),
  default_channel: catalogName.optional(),
});

export const setSlugBody = z.object({ slug: z.string().max(64, 'slug must be at most 40 characters') });

const updaters = z
  .array(z.object({ type: z.enum(UPDATER_TYPES, { message: `type must be one of ${UPDATER_TYPES.join(', ')}` }), default: z.boolean() }))
  .max(UPDATER_TYPES.length);

export const createCatalogBody = z.object({
  name: catalogName,
  follows: z.array(catalogName).max(10).optional(),
  allow_prerelease: z.boolean().optional(),
  updaters: updaters.optional(),
});

export const updateCatalogBody = createCatalogBody.partial();

export const createReleaseBody = z.object({
  version: z.string().refine((v) => parseVersion(v) !== undefined, 'version must be semver (X.Y.Z, optionally -pre.release and +build)'),
  channel: catalogName.optional(),
  publish: z.boolean().optional(),
  publish_at: dateTime('publish_at').optional(),
  notes: text('notes', 20_000).optional(),
  changelog: text('changelog', 100_000).optional(),
  signature: signature.optional(),
  pub_date: dateTime('pub_date').optional(),
  critical: z.boolean().optional(),
  mandatory: z.boolean().optional(),
  intermediate: z.boolean().optional(),
  rollout_percent: percent.optional(),
});

export const updateReleaseBody = z.object({
  channel: catalogName.optional(),
  notes: text('notes', 20_000).optional(),
  changelog: text('changelog', 100_000).optional(),
  signature: signature.optional(),
  pub_date: dateTime('pub_date').optional(),
  critical: z.boolean().optional(),
  mandatory: z.boolean().optional(),
  intermediate: z.boolean().optional(),
});

export const publishReleaseBody = z.object({ at: dateTime('at').optional() });

export const rolloutBody = z.object({ percent });

export const createArtifactBody = z.object({
  target: catalogName,
  arch: catalogName,
  package: z.string().max(24, 'package must be at most 24 characters').optional(),
  file_size: z
    .number({ message: 'file_size must be a number of bytes' })
    .int('file_size must be a whole number of bytes')
    .min(1, 'file_size must be at least 1 byte')
    .max(MAX_ARTIFACT_BYTES, `file_size must be at most ${MAX_ARTIFACT_BYTES} bytes (single PUT)`),
  signature: signature.optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex characters')
    .optional(),
});

export const releaseSearchQuery = z.object({
  channel: catalogName.optional(),
  status: z.enum(['draft', 'published', 'yanked'], { message: 'status must be draft, published or yanked' }).optional(),
  published: z.enum(['true', 'false'], { message: 'published must be true or false' }).optional(),
  critical: z.enum(['true', 'false'], { message: 'critical must be true or false' }).optional(),
  platform: catalogName.optional(),
  arch: catalogName.optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'limit must be a number 1-1000')
    .optional(),
  cursor: z.string().max(200).optional(),
});
