import { isPinHash } from '../shared/domain/device-pin.js';
import { answerCacheControl, presentedDownloadToken } from '../shared/http/download-token.js';
import { DEVICE_PIN_HEADER, edgeCacheControl } from '../shared/http/edge.js';
import { leanPublicRoute } from '../shared/http/lean-route.js';
import { header, pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { feedService, publicAccess } from '../shared/services/public-root.js';

export const handler = leanPublicRoute(async (event) => {
  const access = publicAccess(presentedDownloadToken(event));
  const pin = header(event, DEVICE_PIN_HEADER);
  const { body, maxAgeSeconds } = await feedService(access).tauriStatic(
    pathParam(event, 'slug'),
    pathParam(event, 'channel'),
    pin !== undefined && isPinHash(pin) ? pin : undefined,
  );
  return json(200, body, answerCacheControl(access, edgeCacheControl(maxAgeSeconds)));
});
