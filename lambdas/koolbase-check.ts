import { createHash } from 'node:crypto';
import { ENV, requireEnv } from '../shared/config/env.js';
import { API_KEY_EDGE_TTL_SECONDS, MAX_API_KEY_CHARS } from '../shared/domain/koolbase-api-key.js';
import { checkAnswer, INVALID_KEY, MISSING_KEY } from '../shared/faces/koolbase/check.js';
import { API_KEY_HEADER, edgeCacheControl } from '../shared/http/edge.js';
import { leanPublicRoute } from '../shared/http/lean-route.js';
import { header, queryParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { koolbaseKeys, SDK_KEY_ATTRIBUTES, sdkKeyRecordFromWire } from '../shared/storage/koolbase-keys.js';
import { LeanFeedReader } from '../shared/storage/lean-feed-reader.js';

// Built once per container: the check is one signed GetItem (the key's item) with no SDK client to load.
const reader = new LeanFeedReader(requireEnv(ENV.tableName));
const baseUrl = requireEnv(ENV.publicBaseUrl).replace(/\/+$/, '');
// Every answer, 401s included, is cached at the edge under the key's hash for a minute at most
// (a rotated key's answers no longer than its grace period has left).
const refusalCacheControl = edgeCacheControl(API_KEY_EDGE_TTL_SECONDS);
const ATTRIBUTES = Object.values(SDK_KEY_ATTRIBUTES);

/**
 * Koolbase's SDK check. The raw key is hashed here (never trusted from a header, never logged):
 * the edge's hash only splits its cache.
 */
export const handler = leanPublicRoute(async (event) => {
  const key = header(event, API_KEY_HEADER)?.trim();
  if (!key) return json(MISSING_KEY.status, MISSING_KEY.body, refusalCacheControl);
  if (key.length > MAX_API_KEY_CHARS) return json(INVALID_KEY.status, INVALID_KEY.body, refusalCacheControl);
  const hash = createHash('sha256').update(key, 'utf8').digest('hex');
  const record = sdkKeyRecordFromWire(await reader.getItem(koolbaseKeys.sdkKey(hash), ATTRIBUTES));
  const query = { channel: queryParam(event, 'channel'), version: queryParam(event, 'version') };
  const answer = checkAnswer(record, query, baseUrl, Date.now());
  return json(answer.status, answer.body, edgeCacheControl(answer.edgeTtl));
}, 'koolbase');
