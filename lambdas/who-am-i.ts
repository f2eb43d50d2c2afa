import { whoAmIDto } from '../shared/http/access-dto.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('WhoAmI'), resourceReader, async (request) => json(200, whoAmIDto(callerOf(request))));
