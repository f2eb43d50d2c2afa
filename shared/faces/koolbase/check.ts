/** Koolbase's SDK check as a pure function of the key's item and the query. */
import { publicPaths } from '../../public-paths.js';
import type { SdkKeyRecord } from '../../storage/koolbase-keys.js';
import { bundleFileName, clientVersionOf, DEFAULT_KOOLBASE_CHANNEL } from './bundle.js';

export interface CheckAnswer {
  status: 200 | 401 | 403;
  body: Record<string, unknown>;
}

export const MISSING_KEY: CheckAnswer = { status: 401, body: { error: 'x-api-key required' } };
export const INVALID_KEY: CheckAnswer = { status: 401, body: { error: 'invalid api key' } };

/**
 * The answer for a key (undefined: unknown or revoked): the channel's active bundle when its
 * version is greater than the client's, else `has_update: false`. A key limited to a channel
 * is refused (403) for another one: the key is genuine, it just may not read that channel.
 */
export function checkAnswer(
  record: SdkKeyRecord | undefined,
  query: { channel?: string | undefined; version?: string | undefined },
  baseUrl: string,
): CheckAnswer {
  if (!record) return INVALID_KEY;
  const channel = query.channel ?? DEFAULT_KOOLBASE_CHANNEL;
  if (record.channel !== undefined && record.channel !== channel) {
    return { status: 403, body: { error: `api key is limited to channel ${JSON.stringify(record.channel)}` } };
  }
  const bundle = Object.hasOwn(record.bundles, channel) ? record.bundles[channel] : undefined;
  if (!bundle || bundle.version <= clientVersionOf(query.version)) return { status: 200, body: { has_update: false } };
  return {
    status: 200,
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
