import { appAuthorizer } from '../shared/faces/faynosync/version-handlers.js';
import { faynoVersions } from '../shared/faces/faynosync/versions-root.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { queryParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('FsVersionDelete'), resourceReader, async (request) => {
  await faynoVersions().deleteVersion(callerOf(request), appAuthorizer(request), queryParam(request.event, 'id') ?? '');
  return json(200, { 'deleteSpecificAppResult.DeletedCount': 1 });
});
