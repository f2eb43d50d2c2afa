import { appDto } from '../shared/http/dto.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { appService, catalogRepository, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute('ListApps', resourceReader, async (request) => {
  const caller = callerOf(request);
  const [apps, catalog] = await Promise.all([appService().list(caller), catalogRepository().all(caller.ownerId)]);
  const channels = new Map(catalog.channels.map((c) => [c.id, c.name]));
  return json(200, { apps: apps.map((app) => appDto(app, channels.get(app.defaultChannelId) ?? app.defaultChannelId)) });
});
