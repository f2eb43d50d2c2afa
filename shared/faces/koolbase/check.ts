/** Koolbase's SDK check as a pure function of the key's item, the query and the time. */

import { API_KEY_EDGE_TTL_SECONDS, apiKeyExpired, INVALID_API_KEY } from '../../domain/koolbase-api-key.js';
import { bundleFileName, clientVersionOf, DEFAULT_KOOLBASE_CHANNEL } from '../../domain/koolbase-bundle.js';
import { publicPaths } from '../../domain/public-paths.js';
import type { SdkKeyRecord } from '../../storage/koolbase-keys.js';

export interface CheckAnswer {
  status: 200 | 401 | 403;
  body: Record<string, unknown>;
  /** How long the edge may keep this answer (seconds, never over API_KEY_EDGE_TTL_SECONDS). */
  edgeTtl: number;
}

// A refusal may be cached for the full minute: a key that is unknown, revoked or expired never works again.
export const MISSING_KEY: CheckAnswer = { status: 401, body: { error: 'x-api-key required' }, edgeTtl: API_KEY_EDGE_TTL_SECONDS };
export const INVALID_KEY: CheckAnswer = { status: 401, body: { error: INVALID_API_KEY }, edgeTtl: API_KEY_EDGE_TTL_SECONDS };
export const EXPIRED_KEY: CheckAnswer = { status: 401, body: { error: 'api key expired' }, edgeTtl: API_KEY_EDGE_TTL_SECONDS };

/**
 * The answer for a key (undefined: unknown or revoked) at `nowMs`: the channel's active bundle
 * when its version is greater than the client's, else `has_update: false`. A rotated key past its
 * grace period is refused like a revoked one, and until then its answers are cached no longer
 * than it has left. A key limited to a channel is refused (403) for another one: the key is
 * genuine, it just may not read that channel.
 */
export function checkAnswer(
  record: SdkKeyRecord | undefined,
  query: { channel?: string | undefined; version?: string | undefined },
  baseUrl: string,
  nowMs: number,
): CheckAnswer {
  if (!record) return INVALID_KEY;
  if (apiKeyExpired(record.expiresAt, nowMs)) return EXPIRED_KEY;
  const edgeTtl =
    record.expiresAt === undefined
      ? API_KEY_EDGE_TTL_SECONDS
      : Math.min(API_KEY_EDGE_TTL_SECONDS, Math.floor(record.expiresAt - nowMs / 1000));
  const channel = query.channel ?? DEFAULT_KOOLBASE_CHANNEL;
  if (record.channel !== undefined && record.channel !== channel) {
    return { status: 403, body: { error: `api key is limited to channel ${JSON.stringify(record.channel)}` }, edgeTtl };
  }
  const bundle = Object.hasOwn(record.bundles, channel) ? record.bundles[channel] : undefined;
  if (!bundle || bundle.version <= clientVersionOf(query.version)) return { status: 200, body: { has_update: false }, edgeTtl };
  return {
    status: 200,
    edgeTtl,
    body: {
      has_update: true,
      version: bundle.version,
      checksum: `sha256:${bundle.sha256}`,
      mandatory: bundle.mandatory,
      download_url: `${baseUrl}${publicPaths.appFile(record.appId, bundle.releaseId, bundle.artifactId, bundleFileName(bundle.version))}`,
      release_notes: bundle.notes === '' ? null : bundle.notes,
      file_size: bundle.size,
    },
  };
}
