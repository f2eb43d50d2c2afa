import { appDto } from '../shared/http/dto.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { createAppBody } from '../shared/http/schemas.js';
import { routeById } from '../shared/routes.js';
import { appService, entryName, resourceReader } from '../shared/services/container.js';
import { grantCreated } from '../shared/services/grant-created.js';

export const handler = apiRoute(routeById('CreateApp'), resourceReader, { body: createAppBody }, async (request) => {
  const { body } = request;
  const caller = callerOf(request);
  const app = await appService().create(caller, body.name, body.private !== undefined ? { private: body.private } : {});
  await grantCreated(caller, 'app', app.id);
  return json(201, appDto(app, await entryName(app.ownerId, 'channel', app.defaultChannelId)));
});
