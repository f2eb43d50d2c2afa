import { sessionDto } from '../shared/http/access-dto.js';
import { createSessionBody } from '../shared/http/access-schemas.js';
import { apiRoute, noResources } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { sessionService } from '../shared/services/session-service.js';

export const handler = apiRoute(routeById('CreateSession'), noResources, { body: createSessionBody }, async (request) =>
  json(200, sessionDto(await sessionService().signIn(request.body.username, request.body.password))),
);
