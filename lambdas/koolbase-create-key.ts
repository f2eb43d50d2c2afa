import { koolbaseService } from '../shared/faces/koolbase/container.js';
import { keyDto } from '../shared/faces/koolbase/dto.js';
import { createKeyBody } from '../shared/faces/koolbase/schemas.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('KoolbaseCreateKey'), resourceReader, { body: createKeyBody }, async (request) => {
  const { body } = request;
  const { key, record } = await koolbaseService().createKey(appOf(request), body.channel || undefined);
  // The only time the key is shown: it is stored as a SHA-256 and never logged.
  return json(201, { ...keyDto(record), key });
});
