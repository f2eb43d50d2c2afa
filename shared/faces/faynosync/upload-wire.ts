/**
 * faynoSync's upload encoding: the typed `data` JSON of `/upload`, `/apps/update` and
 * `/artifact/delete`, its validation in faynoSync's order and with its texts, and what each
 * uploaded file is (a package to store, or a feed file the server generates itself). Pure.
 */
import { UPDATER_TYPES, type UpdaterType } from '../../domain/catalog.js';
import { Invalid } from '../../domain/errors.js';
import { NO_EXTENSION_PACKAGE } from '../../domain/fayno-links.js';
import { requirePackage } from '../../domain/packages.js';
import { parseDottedVersion } from '../../domain/version.js';

/** `data` of `/upload` and `/apps/update`, typed as faynoSync types it. */
export interface VersionData {
  id: string;
  appName: string;
  version: string;
  channel: string;
  platform: string;
  arch: string;
  publish: boolean;
  critical: boolean;
  intermediate: boolean;
  changelog: string;
  updater: UpdaterType | '';
  signature: string;
  /** Absent when not sent (then left as it is, or 100 on a new version). */
  rollout?: number;
}

/** `data` of `/artifact/delete`. */
export interface ArtifactDeleteData {
  id: string;
  appName: string;
  version: string;
  /** Indices as sent (faynoSync's are strings); checked when applied. */
  indices: string[];
}

const NO_DATA = 'No JSON data provided';
const INVALID_DATA = 'Invalid JSON data';

const STRING_FIELDS = ['id', 'app_name', 'version', 'channel', 'platform', 'arch', 'changelog', 'updater', 'signature'] as const;
const BOOL_FIELDS = ['publish', 'critical', 'intermediate'] as const;

/**
 * Parses `data` as faynoSync does: a JSON object whose values have the declared types (a string
 * `"true"` for `publish` is refused), `null` counting as absent. faynoSync writes these two errors
 * twice into one body (two JSON documents back to back); we answer one JSON document.
 */
export function parseVersionData(raw: string | undefined, extra: { intermediate?: string } = {}): VersionData {
  const object = jsonObject(raw);
  for (const key of STRING_FIELDS) {
    const value = object[key];
    if (value !== undefined && value !== null && typeof value !== 'string') throw new Invalid(INVALID_DATA);
  }
  for (const key of BOOL_FIELDS) {
    const value = object[key];
    if (value !== undefined && value !== null && typeof value !== 'boolean') throw new Invalid(INVALID_DATA);
  }
  const rollout = object.rollout;
  if (rollout !== undefined && rollout !== null && !(typeof rollout === 'number' && Number.isInteger(rollout))) {
    throw new Invalid(INVALID_DATA);
  }
  if (typeof rollout === 'number' && (rollout < 0 || rollout > 100)) throw new Invalid('rollout must be an integer between 0 and 100');
  const str = (key: (typeof STRING_FIELDS)[number]): string => (typeof object[key] === 'string' ? (object[key] as string) : '');
  const bool = (key: (typeof BOOL_FIELDS)[number]): boolean => object[key] === true;
  const updater = str('updater');
  if (updater !== '' && !(UPDATER_TYPES as readonly string[]).includes(updater)) throw new Invalid('invalid updater parameter');
  return {
    id: str('id'),
    appName: str('app_name'),
    version: str('version'),
    channel: str('channel'),
    platform: str('platform'),
    arch: str('arch'),
    publish: bool('publish'),
    critical: bool('critical'),
    // faynoSync also takes a separate multipart field `intermediate=true`.
    intermediate: bool('intermediate') || extra.intermediate === 'true',
    changelog: str('changelog'),
    updater: updater as UpdaterType | '',
    signature: str('signature'),
    ...(typeof rollout === 'number' ? { rollout } : {}),
  };
}

/** Parses `/artifact/delete`'s `data`: `{id, app_name, version, artifacts_to_delete: ["0", …]}`. */
export function parseArtifactDeleteData(raw: string | undefined): ArtifactDeleteData {
  const object = jsonObject(raw);
  for (const key of ['id', 'app_name', 'version'] as const) {
    const value = object[key];
    if (value !== undefined && value !== null && typeof value !== 'string') throw new Invalid(INVALID_DATA);
  }
  const list = object.artifacts_to_delete ?? [];
  if (!Array.isArray(list) || list.some((i) => typeof i !== 'string' && typeof i !== 'number')) throw new Invalid(INVALID_DATA);
  return {
    id: typeof object.id === 'string' ? object.id : '',
    appName: typeof object.app_name === 'string' ? object.app_name : '',
    version: typeof object.version === 'string' ? object.version : '',
    indices: list.map(String),
  };
}

function jsonObject(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined || raw.trim() === '') throw new Invalid(NO_DATA);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Invalid(INVALID_DATA);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Invalid(INVALID_DATA);
  return parsed as Record<string, unknown>;
}

const APP_NAME = /^[a-zA-Z0-9\- ]+$/;
const CHANNEL = /^[a-zA-Z0-9]*$/;
const PLATFORM = /^[a-zA-Z0-9-]*$/;
const ARCH = /^[a-zA-Z0-9]*$/;
const VERSION = /^[0-9.-]+$/;

/** faynoSync's version normalization: every `-` becomes `.` (`1-2-3` is `1.2.3`); undefined when invalid. */
export function normalizeVersion(raw: string): string | undefined {
  const version = raw.replaceAll('-', '.');
  if (!VERSION.test(version)) return undefined;
  return parseDottedVersion(version);
}

/**
 * The regex checks of faynoSync's upload, in its order (app name, version, channel, platform,
 * arch). Answers the normalized version.
 */
export function checkNames(data: Pick<VersionData, 'appName' | 'version' | 'channel' | 'platform' | 'arch'>): string {
  if (!APP_NAME.test(data.appName)) throw new Invalid('invalid app_name parameter');
  const version = normalizeVersion(data.version);
  if (version === undefined) throw new Invalid('invalid version parameter');
  if (!CHANNEL.test(data.channel)) throw new Invalid('invalid channel parameter');
  if (!PLATFORM.test(data.platform)) throw new Invalid('invalid platform parameter');
  if (!ARCH.test(data.arch)) throw new Invalid('invalid arch parameter');
  return version;
}

/**
 * Why a file is accepted but not stored as an artifact, or undefined for a package to store. The
 * feed files faynoSync keeps from uploads (electron-builder's `*.yml`, Squirrel's `RELEASES`,
 * Sparkle's `appcast*.xml`, Velopack's `releases.*.json`) are generated here from the stored
 * artifacts instead; delta packages (Velopack `-delta.nupkg`, Sparkle `.delta`) are not served by
 * those generated feeds, which offer full packages.
 */
export function notStoredReason(fileName: string): string | undefined {
  const lower = fileName.toLowerCase();
  if (lower === 'releases') return 'Squirrel RELEASES file: the server generates it';
  if (/\.ya?ml$/.test(lower)) return 'electron-builder feed file: the server generates it';
  if (/^appcast.*\.xml$/.test(lower)) return 'Sparkle appcast: the server generates it';
  if (/^releases\..*\.json$/.test(lower)) return 'Velopack releases file: the server generates it';
  if (lower.endsWith('-delta.nupkg') || lower.endsWith('.delta')) return 'delta package: the generated feeds offer full packages';
  return undefined;
}

/** The package type of a file: its last extension, lowercased, without the dot (`none` without one). */
export function packageOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  if (dot === -1 || dot === fileName.length - 1) return NO_EXTENSION_PACKAGE;
  return requirePackage(fileName.slice(dot + 1));
}

/**
 * faynoSync's updater checks on upload (section 3.6) where they concern the packages an updater
 * installs. The ones that demand an uploaded feed file (electron-builder's YML, Squirrel.Windows'
 * RELEASES, Sparkle's appcast and Velopack's releases JSON) are dropped: those feeds are generated.
 */
export function checkUpdaterFiles(updater: VersionData['updater'], signature: string, fileNames: readonly string[]): void {
  const lower = fileNames.map((n) => n.toLowerCase());
  if (updater === 'squirrel_darwin' && !lower.some((n) => n.endsWith('.zip'))) {
    throw new Invalid('squirrel darwin updater requires a ZIP archive for update functionality. Please include a ZIP file in your upload');
  }
  if (updater === 'tauri' && signature.trim() === '') {
    throw new Invalid('tauri updater requires a signature parameter for update functionality. Please include a signature in your request');
  }
  if (updater === 'sparkle' && !lower.some((n) => /\.(zip|dmg|aar)$|\.tar\.[a-z0-9]+$/.test(n))) {
    throw new Invalid(
      'sparkle updater requires at least one archive (.zip, .dmg, .tar.*) for update functionality. Please include an archive in your upload',
    );
  }
  if (updater === 'velopack' && !lower.some((n) => n.endsWith('-full.nupkg'))) {
    throw new Invalid(
      'velopack updater requires a full package (-full.nupkg) for update functionality. Please include a -full.nupkg file in your upload',
    );
  }
}

/** A query flag as Go's `strconv.ParseBool` reads it; undefined when absent or unparsable (faynoSync then ignores it). */
export function goBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** A positive integer query value; undefined when absent or not one. */
export function positiveInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,9}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 ? n : undefined;
}

/** `/upload/presign`'s body: the `data` fields of `/upload` as one JSON object, plus the files to upload. */
export function parsePresignBody(text: string): { data: VersionData; files: { name: string; size: number; sha256?: string }[] } {
  const data = parseVersionData(text);
  const object = JSON.parse(text) as Record<string, unknown>;
  const files = object.files;
  if (!Array.isArray(files)) throw new Invalid('files must be a list of {"name","size","sha256"?}');
  if (files.length > MAX_PRESIGN_FILES) throw new Invalid(`At most ${MAX_PRESIGN_FILES} files per request`);
  return {
    data,
    files: files.map((f, i) => {
      const { name, size, sha256 } = (f ?? {}) as Record<string, unknown>;
      if (typeof name !== 'string' || name === '' || name.length > 255 || /[\\/]/.test(name)) {
        throw new Invalid(`files[${i}].name must be a file name`);
      }
      if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1)
        throw new Invalid(`files[${i}].size must be a positive integer`);
      if (sha256 !== undefined && (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256))) {
        throw new Invalid(`files[${i}].sha256 must be 64 lowercase hex digits`);
      }
      return { name, size, ...(typeof sha256 === 'string' ? { sha256 } : {}) };
    }),
  };
}

const MAX_PRESIGN_FILES = 20;

/** `/upload/confirm`'s body: `{"id", "publish"?}` (send back the `confirm` object `/upload/presign` answered). */
export function parseConfirmBody(text: string): { id: string; publish: boolean } {
  let object: unknown;
  try {
    object = JSON.parse(text);
  } catch {
    throw new Invalid(INVALID_DATA);
  }
  const { id, publish } = (object && typeof object === 'object' ? object : {}) as Record<string, unknown>;
  if (typeof id !== 'string' || id === '') throw new Invalid('id is required');
  if (publish !== undefined && publish !== null && typeof publish !== 'boolean') throw new Invalid(INVALID_DATA);
  return { id, publish: publish === true };
}
