import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { empty } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { downloadTokenService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('RevokeDownloadToken'), resourceReader, async (request) => {
  await downloadTokenService().revoke(appOf(request), pathParam(request.event, 'token_id'));
  return empty(204);
});
