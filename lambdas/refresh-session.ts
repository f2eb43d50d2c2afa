import { sessionDto } from '../shared/http/access-dto.js';
import { refreshSessionBody } from '../shared/http/access-schemas.js';
import { apiRoute, noResources } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { sessionService } from '../shared/services/session-service.js';

export const handler = apiRoute(routeById('RefreshSession'), noResources, { body: refreshSessionBody }, async (request) =>
  json(200, sessionDto(await sessionService().refresh(request.body.refresh_token))),
);
