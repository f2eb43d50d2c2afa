import { pinDto } from '../shared/http/dto.js';
import { apiRoute, appOf, callerOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { createPinBody } from '../shared/http/schemas.js';
import { routeById } from '../shared/routes.js';
import { devicePinService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('CreateDevicePin'), resourceReader, { body: createPinBody }, async (request) => {
  const { body } = request;
  const view = await devicePinService().add(appOf(request), callerOf(request), {
    deviceId: body.device_id,
    ...(body.channel !== undefined ? { channel: body.channel } : {}),
    ...(body.version !== undefined ? { version: body.version } : {}),
    ...(body.note !== undefined ? { note: body.note } : {}),
  });
  return json(201, pinDto(view));
});
