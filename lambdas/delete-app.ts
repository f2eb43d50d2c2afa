import { jobDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { jobServiceWithPrivacy, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('DeleteApp'), resourceReader, async (request) => {
  const job = await jobServiceWithPrivacy().deleteApp(appOf(request));
  return json(202, jobDto(job));
});
