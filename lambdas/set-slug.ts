import { appDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { setSlugBody } from '../shared/http/schemas.js';
import { routeById } from '../shared/routes.js';
import { appService, entryName, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('SetSlug'), resourceReader, { body: setSlugBody }, async (request) => {
  const { body } = request;
  const app = await appService().setSlug(appOf(request), body.slug);
  return json(200, appDto(app, await entryName(app.ownerId, 'channel', app.defaultChannelId)));
});
