import { appDto } from '../shared/http/dto.js';
import { jsonBody, pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { setSlugBody } from '../shared/http/schemas.js';
import { userRoute } from '../shared/http/user-route.js';
import { getServices } from '../shared/services/container.js';

export const handler = userRoute(async (event, principal) => {
  const { slug } = jsonBody(event, setSlugBody);
  return json(200, appDto(await getServices().apps.setSlug(principal, pathParam(event, 'app_id'), slug)));
});
