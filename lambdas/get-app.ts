import { appDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { entryName, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('GetApp'), resourceReader, async (request) => {
  const app = appOf(request);
  return json(200, appDto(app, await entryName(app.ownerId, 'channel', app.defaultChannelId)));
});
