/**
 * Which edge log records are update checks, and what each says about a device: the app's public
 * address, channel, platform, arch, the version the device runs, and whether it was told it is
 * current. A record counts only when the check succeeded and carries a device id, as faynoSync
 * counts (`X-Device-ID` on `/checkVersion`); the other clients' own ids count the same way:
 *
 * | Client (route)                          | Device id                            | Version          | Current?            |
 * | --------------------------------------- | ------------------------------------ | ---------------- | ------------------- |
 * | faynoSync `GET /checkVersion`           | `X-Device-ID`                        | `version`        | decided by the aggregator (the app's faynoSync view) |
 * | faynoSync `GET /telemetry/beacon`       | `X-Device-ID`                        | `version`        | `is_latest` (counted only for an uploaded channel/platform/arch) |
 * | Tauri check `…/{slug}/{target}/{arch}/{v}` | `X-Device-ID` (an app-added header) or `x-user-staging-id` | path | 204 yes, 200 no |
 * | Tauri static feed `…/tauri/latest.json` | same                                 | unknown          | unknown             |
 * | electron-updater feed `…/electron/{file}` | `x-user-staging-id` (sent by the client) | unknown   | unknown             |
 * | Velopack `…/velopack/releases.{ch}.json` | `stagingId` query                   | `localVersion`   | unknown             |
 *
 * Sparkle and Squirrel send no device id: their checks are not counted. Koolbase's SDK sends no
 * device header we know of: its checks are not counted either.
 */
import { API_PREFIX, FEEDS_PREFIX } from './public-paths.js';

/** The app as the request names it. */
export type AppAddress = { kind: 'slug'; slug: string } | { kind: 'fayno'; owner: string; appName: string };

export type CheckState = 'latest' | 'outdated' | 'unknown';

export interface CheckHit {
  app: AppAddress;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** When CloudFront answered (epoch ms). */
  timeMs: number;
  deviceId: string;
  channel: string;
  platform: string;
  arch: string;
  /** '' when the client does not say. */
  version: string;
  state: CheckState;
  /** The id the edge took the device's rollout bucket from (the first device header sent, raw): Tauri checks only. */
  bucketId?: string;
  /** electron-updater's staging id (`x-user-staging-id`), by which it decides its own rollout: electron hits only. */
  stagingId?: string;
  /** Which client's route (for the docs and the bench, never a counter dimension). */
  source: 'faynosync' | 'beacon' | 'tauri' | 'tauri-static' | 'electron' | 'velopack';
}

const MAX_DIMENSION = 64;

/** The check a record is, or undefined when it does not count. */
export function checkHit(record: {
  timeMs: number;
  status: number;
  method: string;
  path: string;
  query: string;
  headers: Readonly<Record<string, string>>;
}): CheckHit | undefined {
  // A check that succeeded: an answer, "current" (204), or faynoSync's redirect to the one file.
  if (record.method !== 'GET' || ![200, 204, 302].includes(record.status)) return undefined;
  const query = new URLSearchParams(record.query);
  const header = (name: string) => deviceId(record.headers[name]);
  const day = utcDay(record.timeMs);
  const segments = record.path.split('/').map(decodeSegment);
  if (segments.some((s) => s === undefined || s.length > MAX_DIMENSION)) return undefined;
  const parts = segments as string[];
  const base = { day, timeMs: record.timeMs, channel: '', platform: '', arch: '', version: '', state: 'unknown' as CheckState };

  // faynoSync's check and its beacon name the app and the device alike; the beacon also says whether the client is current.
  const faynoPath = record.path === '/checkVersion' ? 'faynosync' : record.path === '/telemetry/beacon' ? 'beacon' : undefined;
  if (faynoPath) {
    const id = header('x-device-id');
    const owner = query.get('owner') ?? '';
    const appName = query.get('app_name') ?? '';
    if (!id || !owner || !appName) return undefined;
    const latest = query.get('is_latest');
    return {
      ...base,
      app: { kind: 'fayno', owner, appName },
      deviceId: id,
      channel: dimension(query.get('channel')),
      platform: dimension(query.get('platform')),
      arch: dimension(query.get('arch')),
      version: dimension(query.get('version')),
      ...(faynoPath === 'beacon' ? { state: latest === 'true' ? 'latest' : latest === 'false' ? 'outdated' : 'unknown' } : {}),
      source: faynoPath,
    };
  }
  const clientId = header('x-device-id') ?? header('x-user-staging-id');
  if (record.path.startsWith(`${API_PREFIX}/`)) {
    // {slug}/{target}/{arch}/{current_version}, but not {slug}/latest/{target}/{arch}.
    const [slug, target, arch, version, ...rest] = parts.slice(API_PREFIX.split('/').length);
    if (
      !clientId ||
      record.status === 302 ||
      rest.length > 0 ||
      !slug ||
      !target ||
      !arch ||
      !version ||
      target === 'latest' ||
      slug === 'apps'
    )
      return undefined;
    // The edge buckets by the first device header with a value, as sent (edge-functions.ts, bucketOf).
    const bucketId = record.headers['x-device-id'] || record.headers['x-user-staging-id'];
    return {
      ...base,
      app: { kind: 'slug', slug },
      deviceId: clientId,
      ...(bucketId ? { bucketId } : {}),
      channel: dimension(query.get('channel')),
      platform: target,
      arch,
      version: version.replace(/^v/, ''),
      state: record.status === 204 ? 'latest' : 'outdated',
      source: 'tauri',
    };
  }
  if (record.path.startsWith(`${FEEDS_PREFIX}/`)) {
    const [slug, second, third, fourth, ...rest] = parts.slice(FEEDS_PREFIX.split('/').length);
    if (!slug || rest.length > 0 || record.status !== 200) return undefined;
    if (second === 'electron' && third && fourth === undefined) {
      const file = /^(.+?)(?:-(mac|linux)(?:-([a-z0-9_]+))?)?\.yml$/.exec(third);
      if (!file || !clientId || record.status !== 200) return undefined;
      const platform = file[2] === 'mac' ? 'darwin' : file[2] === 'linux' ? 'linux' : 'windows';
      const stagingId = header('x-user-staging-id');
      return {
        ...base,
        app: { kind: 'slug', slug },
        deviceId: clientId,
        ...(stagingId ? { stagingId } : {}),
        channel: dimension(file[1]),
        platform,
        arch: dimension(file[3] ?? ''),
        source: 'electron',
      };
    }
    if (third === 'tauri' && fourth === 'latest.json' && second && clientId && record.status === 200) {
      return { ...base, app: { kind: 'slug', slug }, deviceId: clientId, channel: second, source: 'tauri-static' };
    }
    if (third === 'velopack' && second && fourth === `releases.${second}.json` && record.status === 200) {
      const id = deviceId(query.get('stagingId') ?? undefined);
      if (!id) return undefined;
      return {
        ...base,
        app: { kind: 'slug', slug },
        deviceId: id,
        channel: second,
        version: dimension(query.get('localVersion')),
        source: 'velopack',
      };
    }
  }
  return undefined;
}

/** A usable device id: non-empty, at most 128 printable ASCII characters. */
export function deviceId(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const id = value.trim();
  return id.length > 0 && id.length <= 128 && /^[\x21-\x7e]+$/.test(id) ? id : undefined;
}

let lastDay = { start: 0, end: 0, text: '' };

/** The UTC day of a time, YYYY-MM-DD (the last one is kept: a batch's records share a few days). */
function utcDay(timeMs: number): string {
  if (timeMs < lastDay.start || timeMs >= lastDay.end) {
    const start = timeMs - (((timeMs % 86_400_000) + 86_400_000) % 86_400_000);
    lastDay = { start, end: start + 86_400_000, text: new Date(start).toISOString().slice(0, 10) };
  }
  return lastDay.text;
}

function dimension(value: string | null | undefined): string {
  const v = (value ?? '').trim();
  return v.length <= MAX_DIMENSION ? v : '';
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
