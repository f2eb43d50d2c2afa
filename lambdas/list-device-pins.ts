import { MAX_PINS_PER_APP } from '../shared/domain/device-pin.js';
import { pinDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { devicePinService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('ListDevicePins'), resourceReader, async (request) => {
  const pins = await devicePinService().list(appOf(request));
  return json(200, { pins: pins.map((view) => pinDto(view)), max_pins: MAX_PINS_PER_APP });
});
