import * as z from 'zod/mini';
import { UPDATER_TYPES } from '../domain/catalog.js';
import { MAX_DEVICE_ID } from '../domain/rollout.js';
import { parseDottedVersion, parseVersion } from '../domain/version.js';
import { component } from './route-definition.js';

/**
 * Request schemas of the management API, referenced by the route table (`request` of each route):
 * the middleware validates every body against its route's schema before the handler runs.
 * Written with zod's tree-shakable "mini" API: every management function bundles it.
 * Bodies are strict objects: an unknown field (a typo such as `chanel`) is a 400 that names it,
 * never silently dropped. Queries stay open (clients add cache busters).
 */

/**
 * The largest artifact ingest can verify within its 15 minutes (one hashing pass at roughly
 * 100-300 MB/s, then a server-side copy); a single PUT reaches 5 GB, larger files go in parts.
 */
export const MAX_ARTIFACT_BYTES = 20 * 1024 ** 3;

const name = (what: string, max: number) =>
  z.string().check(z.minLength(1, `${what} is required`), z.maxLength(max, `${what} must be at most ${max} characters`));
const text = (what: string, max: number) => z.string().check(z.maxLength(max, `${what} must be at most ${max} characters`));
const signature = text('signature', 8_192);
const dateTime = (what: string) => z.iso.datetime({ offset: true, error: `${what} must be an RFC 3339 date-time` });
const catalogName = z.string().check(z.maxLength(40, 'name must be at most 40 characters'));
const flag = (what: string) => z.boolean({ error: `${what} must be true or false` });
const percent = z
  .int({ error: 'percent must be a whole number' })
  .check(z.minimum(0, 'percent must be 0-100'), z.maximum(100, 'percent must be 0-100'));

/** A rollout's halt rule: halt (0 %) when failures and rollbacks exceed this share of at least `min_reports` reports; null removes it. */
const haltRule = z.nullable(
  z.strictObject({
    max_failure_rate: z
      .number({ error: 'max_failure_rate must be a number' })
      .check(z.minimum(0, 'max_failure_rate must be 0-1'), z.maximum(1, 'max_failure_rate must be 0-1')),
    min_reports: z
      .int({ error: 'min_reports must be a whole number' })
      .check(z.minimum(1, 'min_reports must be 1-1000000'), z.maximum(1_000_000, 'min_reports must be 1-1000000')),
  }),
);

export const createAppBody = z.strictObject({ name: name('name', 100), private: z.optional(flag('private')) });

export const updateAppBody = z.strictObject({
  name: z.optional(name('name', 100)),
  private: z.optional(flag('private')),
  default_channel: z.optional(catalogName),
  tauri_pubkey: z.optional(z.string().check(z.maxLength(1_000, 'tauri_pubkey must be at most 1000 characters'))),
});

export const setSlugBody = z.strictObject({ slug: z.string().check(z.maxLength(64, 'slug must be at most 40 characters')) });

const updaters = z
  .array(
    z.strictObject({ type: z.enum(UPDATER_TYPES, { error: `type must be one of ${UPDATER_TYPES.join(', ')}` }), default: flag('default') }),
  )
  .check(z.maxLength(UPDATER_TYPES.length));

export const createCatalogBody = z.strictObject({
  name: catalogName,
  follows: z.optional(z.array(catalogName).check(z.maxLength(10, 'follows may list at most 10 channels'))),
  allow_prerelease: z.optional(flag('allow_prerelease')),
  updaters: z.optional(updaters),
  /** Platforms and archs: the canonical OS or architecture a custom entry is (validated by the catalog). */
  canonical: z.optional(z.string().check(z.maxLength(20, 'canonical must be at most 20 characters'))),
});

export const updateCatalogBody = z.partial(createCatalogBody);

/** What a release carries besides its version and lifecycle; creating and editing share it. */
const releaseFields = {
  channel: z.optional(catalogName),
  notes: z.optional(text('notes', 20_000)),
  changelog: z.optional(text('changelog', 60_000)),
  signature: z.optional(signature),
  pub_date: z.optional(dateTime('pub_date')),
  critical: z.optional(flag('critical')),
  mandatory: z.optional(flag('mandatory')),
  intermediate: z.optional(flag('intermediate')),
  halt_rule: z.optional(haltRule),
};

export const createReleaseBody = z.strictObject({
  version: z
    .string({ error: 'version is required' })
    .check(z.refine((v) => parseVersion(v) !== undefined, 'version must be semver (X.Y.Z, optionally -pre.release and +build)')),
  ...releaseFields,
  publish: z.optional(flag('publish')),
  publish_at: z.optional(dateTime('publish_at')),
  rollout_percent: z.optional(percent),
});

export const updateReleaseBody = z.strictObject(releaseFields);

export const publishReleaseBody = z.strictObject({ at: z.optional(dateTime('at')) });

export const rolloutBody = z.strictObject({ percent, halt_rule: z.optional(haltRule) });

export const promoteReleaseBody = z.strictObject({ channel: catalogName });

export const rollbackChannelBody = z.strictObject({
  to: z.string().check(z.minLength(1, 'to must name a version'), z.maxLength(64, 'to must be at most 64 characters')),
});

/** A device pin: the device id as clients send it (checked by the service), a channel and/or a version, a note. */
export const createPinBody = z.strictObject({
  device_id: z
    .string()
    .check(z.minLength(1, 'device_id is required'), z.maxLength(MAX_DEVICE_ID, `device_id must be at most ${MAX_DEVICE_ID} characters`)),
  channel: z.optional(catalogName),
  version: z.optional(z.string().check(z.maxLength(64, 'version must be at most 64 characters'))),
  note: z.optional(z.string().check(z.maxLength(200, 'note must be at most 200 characters'))),
});

export const createArtifactBody = z.strictObject({
  target: catalogName,
  arch: catalogName,
  package: z.optional(z.string().check(z.maxLength(24, 'package must be at most 24 characters'))),
  file_size: z
    .int({ error: 'file_size must be a whole number of bytes' })
    .check(
      z.minimum(1, 'file_size must be at least 1 byte'),
      z.maximum(MAX_ARTIFACT_BYTES, `file_size must be at most ${MAX_ARTIFACT_BYTES} bytes`),
    ),
  multipart: z.optional(flag('multipart')),
  signature: z.optional(signature),
  ed_signature: z.optional(
    z.string().check(z.regex(/^[A-Za-z0-9+/]{86}==$/, 'ed_signature must be a base64 Ed25519 signature (88 characters)')),
  ),
  sha256: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex characters'))),
  /** A delta package (`delta`, `delta.nupkg`): the version it applies to. */
  delta_from: z.optional(
    z.string().check(
      z.maxLength(64, 'delta_from must be at most 64 characters'),
      z.refine((v) => parseDottedVersion(v) !== undefined, 'delta_from must be a version (dotted numbers, optionally -pre.release)'),
    ),
  ),
});

/** A query flag: the text `true` or `false`, read as a boolean. */
const trueOrFalse = (what: string) =>
  z.pipe(
    z.enum(['true', 'false'], { error: `${what} must be true or false` }),
    z.transform((v) => v === 'true'),
  );

export const releaseSearchQuery = z.object({
  channel: z.optional(catalogName),
  status: z.optional(z.enum(['draft', 'published', 'yanked'], { error: 'status must be draft, published or yanked' })),
  published: z.optional(trueOrFalse('published')),
  critical: z.optional(trueOrFalse('critical')),
  platform: z.optional(catalogName),
  arch: z.optional(catalogName),
  /** Releases per page: 100 when unsaid, clamped to 1-1000. */
  limit: z._default(
    z.pipe(
      z.string().check(z.regex(/^\d{1,4}$/, 'limit must be a number 1-1000')),
      z.transform((v) => Math.min(Math.max(Number(v), 1), 1000)),
    ),
    100,
  ),
  cursor: z.optional(z.string().check(z.maxLength(200))),
});

const uploadId = z.string().check(z.minLength(1, 'upload_id is required'), z.maxLength(1024, 'upload_id is too long'));
const partNumber = z
  .int({ error: 'part numbers are whole numbers' })
  .check(z.minimum(1, 'part numbers start at 1'), z.maximum(10_000, 'at most 10000 parts'));

export const uploadPartsBody = z.strictObject({
  upload_id: uploadId,
  part_numbers: z.array(partNumber).check(z.maxLength(100, 'at most 100 part URLs per request')),
});

export const completeUploadBody = z.strictObject({
  upload_id: uploadId,
  parts: z.optional(
    z
      .array(z.strictObject({ part_number: partNumber, etag: z.string().check(z.minLength(1), z.maxLength(200)) }))
      .check(z.maxLength(10_000)),
  ),
});

export const abortUploadBody = z.strictObject({ upload_id: uploadId });

/*
 * Response schemas of the management API: what the DTO mappers (dto.ts) answer, for the route
 * table's `responses` and the OpenAPI document. A field is required when the mapper always writes
 * it (null when it has no value); objects are closed, as the mappers write exactly these keys.
 */
const nullableString = z.nullable(z.string());

export const appAnswer = component(
  'App',
  z.object({
    id: z.string(),
    name: z.string(),
    slug: nullableString,
    default_channel: z.string(),
    tauri_pubkey: nullableString,
    private: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  }),
);

export const appListAnswer = z.object({ apps: z.array(appAnswer) });

/** A background job (`GET /api/sync/ota/jobs/{job_id}`, and in the answer of a change that started one). */
/** A halted rollout: why, when, and the figures the halt rule saw (null while it is not halted). Every face shows it so. */
export const haltedAnswer = z.nullable(z.object({ reason: z.string(), at: z.string(), failure_rate: z.number(), reports: z.number() }));

export const jobAnswer = component(
  'Job',
  z.object({
    id: z.string(),
    kind: z.enum(['app-privacy', 'owner-republish', 'app-delete']),
    state: z.enum(['queued', 'running', 'done', 'failed']),
    progress: z.object({ done: z.number(), total: z.number() }),
    error: nullableString,
    app_id: nullableString,
    status_url: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  }),
);

/** An app after a change; with `job` when the change started one (a privacy change retags the app's objects). */
export const appUpdateAnswer = z.object({ ...appAnswer.shape, job: z.optional(jobAnswer) });

/** A channel, platform or arch: `follows` and `allow_prerelease` on channels, `updaters` on platforms, `canonical` on platforms and archs. */
export const catalogEntryAnswer = component(
  'CatalogEntry',
  z.object({
    id: z.string(),
    name: z.string(),
    builtin: z.boolean(),
    in_use: z.boolean(),
    follows: z.optional(z.array(z.string())),
    allow_prerelease: z.optional(z.boolean()),
    updaters: z.optional(z.array(z.object({ type: z.enum(UPDATER_TYPES), default: z.boolean() }))),
    canonical: z.optional(nullableString),
    created_at: z.string(),
    updated_at: z.string(),
  }),
);

export const catalogListAnswer = z.object({ items: z.array(catalogEntryAnswer) });

export const artifactAnswer = component(
  'Artifact',
  z.object({
    id: z.string(),
    target: z.string(),
    arch: z.string(),
    package: z.string(),
    status: z.enum(['pending', 'ready', 'rejected', 'failed']),
    reason: nullableString,
    file_size: z.number(),
    size: z.nullable(z.number()),
    sha256: nullableString,
    sha512: nullableString,
    sha1: nullableString,
    blake2b512: nullableString,
    signature: nullableString,
    ed_signature: nullableString,
    delta_from: nullableString,
    upload_expires_at: nullableString,
    created_at: z.string(),
    ready_at: nullableString,
  }),
);

export const releaseAnswer = component(
  'Release',
  z.object({
    id: z.string(),
    version: z.string(),
    notes: z.string(),
    signature: nullableString,
    pub_date: z.string(),
    created_at: z.string(),
    channel: z.string(),
    /** Channels it was promoted to: offered there too, with the same files. */
    promoted_to: z.array(z.string()),
    status: z.enum(['draft', 'published', 'yanked']),
    scheduled: z.boolean(),
    publish_at: nullableString,
    changelog: z.string(),
    critical: z.boolean(),
    mandatory: z.boolean(),
    intermediate: z.boolean(),
    rollout_percent: z.number(),
    halt_rule: z.nullable(z.object({ max_failure_rate: z.number(), min_reports: z.number() })),
    halted: haltedAnswer,
    updated_at: z.string(),
    artifacts: z.array(artifactAnswer),
  }),
);

export const rollbackAnswer = z.object({
  channel: z.string(),
  to: releaseAnswer,
  yanked: z.array(releaseAnswer),
  withdrawn: z.array(releaseAnswer),
});

export const pinAnswer = component(
  'DevicePin',
  z.object({
    /** The pin's id: the device id's hash (paths never carry the raw id). */
    id: z.string(),
    device_id: z.string(),
    channel: nullableString,
    version: nullableString,
    note: nullableString,
    created_at: z.string(),
    created_by: z.string(),
  }),
);

export const pinListAnswer = z.object({ pins: z.array(pinAnswer), max_pins: z.number() });

export const releaseListAnswer = z.object({ releases: z.array(releaseAnswer), next_cursor: nullableString });

const multipartAnswer = component(
  'MultipartUpload',
  z.object({
    upload_id: z.string(),
    part_size: z.number(),
    part_count: z.number(),
    parts: z.array(z.object({ part_number: z.number(), upload_url: z.string() })),
    uploaded: z.nullable(z.array(z.object({ part_number: z.number(), etag: z.string(), size: z.number() }))),
  }),
);

export const uploadPartsAnswer = multipartAnswer;

/** An upload slot: one presigned PUT (`upload_url`), or parts (`multipart`, and `upload_url` null). */
export const artifactUploadAnswer = z.object({
  upload_url: nullableString,
  multipart: z.optional(multipartAnswer),
  s3_key: z.string(),
  expires_at: z.string(),
  artifact_id: z.string(),
  artifact: artifactAnswer,
});

export const completeUploadAnswer = z.object({ status: z.literal('completed'), verification: z.literal('pending') });

const probeState = z.enum(['ok', 'failing']);
/** `/health`'s answer, 200 or 503 alike: the state of each dependency it probes. */
export const healthAnswer = z.object({
  status: z.enum(['healthy', 'unhealthy']),
  checks: z.object({ table: probeState, bucket: probeState }),
});

/** The OpenAPI document itself (its own schema is the OpenAPI 3.1 specification's). */
export const openApiAnswer = z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) });

/* The updaters' JSON documents (shared/protocols renders them). */

/** Tauri's dynamic-server answer (check-update). */
export const tauriUpdateAnswer = z.object({
  version: z.string(),
  url: z.string(),
  signature: z.string(),
  notes: z.string(),
  pub_date: z.string(),
});

/** Tauri's static `latest.json`. */
export const tauriStaticAnswer = z.object({
  version: z.string(),
  notes: z.string(),
  pub_date: z.string(),
  platforms: z.record(z.string(), z.object({ url: z.string(), signature: z.string() })),
});

/** Squirrel.Mac's server-mode answer. */
export const squirrelMacAnswer = z.object({ url: z.string(), name: z.string(), notes: z.string(), pub_date: z.string() });

/** A Velopack `releases.{channel}.json`. */
export const velopackFeedAnswer = z.object({
  Assets: z.array(
    z.object({
      PackageId: z.string(),
      Version: z.string(),
      Type: z.enum(['Full', 'Delta']),
      FileName: z.string(),
      SHA1: z.string(),
      SHA256: z.string(),
      Size: z.number(),
      NotesMarkdown: z.string(),
    }),
  ),
});

/**
 * A device's install report (public): small and strict, so a device can say no more than its own
 * outcome on one release. The whole body is at most a few KB (the route's body limit).
 */
export const installReportBody = z.strictObject({
  device_id: z.string().check(z.minLength(8, 'device_id must be 8-200 characters'), z.maxLength(200, 'device_id must be 8-200 characters')),
  app: z.string().check(z.minLength(1, 'app is required'), z.maxLength(64, 'app must be at most 64 characters')),
  channel: z.string().check(z.minLength(1, 'channel is required'), z.maxLength(40, 'channel must be at most 40 characters')),
  from_version: z.string({ error: 'from_version is required' }).check(
    z.maxLength(64, 'from_version must be at most 64 characters'),
    z.refine((v) => parseVersion(v) !== undefined, 'from_version must be semver'),
  ),
  to_version: z.string({ error: 'to_version is required' }).check(
    z.maxLength(64, 'to_version must be at most 64 characters'),
    z.refine((v) => parseVersion(v) !== undefined, 'to_version must be semver'),
  ),
  outcome: z.enum(['success', 'failure', 'rollback'], { error: 'outcome must be success, failure or rollback' }),
  error: z.optional(text('error', 1_000)),
});

export const installReportAnswer = z.object({
  accepted: z.literal(true),
  /** counted: a first report of this device on the release; replaced: its earlier outcome replaced; unchanged: the same again. */
  effect: z.enum(['counted', 'replaced', 'unchanged']),
});

const outcomeCounts = { installs: z.number(), failures: z.number(), rollbacks: z.number() };

export const installFiguresAnswer = z.object({
  release_id: z.string(),
  version: z.string(),
  rollout_percent: z.number(),
  reports: z.number(),
  ...outcomeCounts,
  failure_rate: z.number(),
  halt_rule: z.nullable(z.object({ max_failure_rate: z.number(), min_reports: z.number() })),
  halted: haltedAnswer,
  days: z.array(z.object({ date: z.string(), ...outcomeCounts, failure_rate: z.number() })),
});
