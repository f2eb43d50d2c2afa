import { ENV, requireEnv } from '../shared/config/env.js';
import { publicPaths } from '../shared/domain/public-paths.js';
import { presentedDownloadToken } from '../shared/http/download-token.js';
import { EDGE_TTL_SECONDS, edgeCacheControl, PRIVATE_CACHE_CONTROL } from '../shared/http/edge.js';
import { behindEdge, leanPublicRoute } from '../shared/http/lean-route.js';
import { pathParam, queryParam } from '../shared/http/request.js';
import { json, noUpdate } from '../shared/http/respond.js';
import { devicePinOf, rolloutBucket } from '../shared/http/rollout-bucket.js';
import { renderTauriUpdate } from '../shared/protocols/tauri.js';
import { DownloadAccess } from '../shared/services/download-access.js';
import { checkForUpdate } from '../shared/services/update-check.js';
import { leanGrantLookup } from '../shared/storage/download-token-item.js';
import { LeanFeedReader } from '../shared/storage/lean-feed-reader.js';

// Built once per container: the check is one signed GetItem with no SDK client to load (two for a private app).
const feeds = new LeanFeedReader(requireEnv(ENV.tableName));
const grants = leanGrantLookup(feeds);
const baseUrl = requireEnv(ENV.publicBaseUrl).replace(/\/+$/, '');

export const handler = leanPublicRoute(async (event) => {
  const slug = pathParam(event, 'slug');
  const target = pathParam(event, 'target');
  const arch = pathParam(event, 'arch');
  const channel = queryParam(event, 'channel');
  const bundleType = queryParam(event, 'bundle_type');
  const bucket = rolloutBucket(event);
  const pin = devicePinOf(event);
  const access = new DownloadAccess(grants, presentedDownloadToken(event));
  const answer = await checkForUpdate(
    feeds,
    {
      slug,
      target,
      arch,
      currentVersion: pathParam(event, 'current_version'),
      ...(channel ? { channel } : {}),
      ...(bundleType ? { bundleType } : {}),
      ...(bucket !== undefined ? { bucket } : {}),
      ...(pin !== undefined ? { pin } : {}),
    },
    access,
  );
  const cacheControl = access.isPrivate ? PRIVATE_CACHE_CONTROL : edgeCacheControl(answer.maxAgeSeconds ?? EDGE_TTL_SECONDS);
  if (answer.outcome.kind !== 'update' || !answer.file) return noUpdate(cacheControl, behindEdge());
  const release = answer.outcome.release;
  const query = new URLSearchParams({
    ...(answer.file !== release.files[0] ? { package: answer.file.package } : {}),
    ...(channel ? { channel } : {}),
  }).toString();
  // A client that sent its token in the query cannot send it to the download either: the link carries it.
  const token = access.linkQuery();
  const search = [query, token].filter(Boolean).join('&');
  const url = `${baseUrl}${publicPaths.download(slug, release.id, target, arch)}${search ? `?${search}` : ''}`;
  return json(200, renderTauriUpdate(release, answer.file, url), cacheControl);
});
