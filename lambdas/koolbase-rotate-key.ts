import { DEFAULT_KEY_GRACE_SECONDS } from '../shared/domain/koolbase-api-key.js';
import { koolbaseService } from '../shared/faces/koolbase/container.js';
import { keyDto } from '../shared/faces/koolbase/dto.js';
import { rotateKeyBody } from '../shared/faces/koolbase/schemas.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('KoolbaseRotateKey'), resourceReader, { body: rotateKeyBody }, async (request) => {
  const { body } = request;
  const { key, record } = await koolbaseService().rotateKey(
    appOf(request),
    pathParam(request.event, 'key_id'),
    body.grace_seconds ?? DEFAULT_KEY_GRACE_SECONDS,
  );
  // As at creation, the only time the new key is shown.
  return json(201, { ...keyDto(record), key });
});
