import { apiRoute, appOf } from '../shared/http/middleware.js';
import { empty } from '../shared/http/respond.js';
import { deletionService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute('DeleteApp', resourceReader, async (request) => {
  await deletionService().deleteApp(appOf(request));
  return empty(204);
});
