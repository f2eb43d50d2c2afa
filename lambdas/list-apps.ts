import { visible } from '../shared/auth/authorize.js';
import { appDto } from '../shared/http/dto.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { appService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('ListApps'), resourceReader, async (request) => {
  const caller = callerOf(request);
  const apps = (await appService().list(caller)).filter(({ app }) => visible(caller, 'app', app.id));
  return json(200, { apps: apps.map(({ app, defaultChannel }) => appDto(app, defaultChannel)) });
});
