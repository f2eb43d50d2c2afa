import { whoAmIDto } from '../shared/http/access-dto.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute('WhoAmI', resourceReader, async (request) => json(200, whoAmIDto(callerOf(request))));
