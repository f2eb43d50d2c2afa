import { appDto } from '../shared/http/dto.js';
import { jsonBody } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { createAppBody } from '../shared/http/schemas.js';
import { userRoute } from '../shared/http/user-route.js';
import { getServices } from '../shared/services/container.js';

export const handler = userRoute(async (event, principal) => {
  const { name } = jsonBody(event, createAppBody);
  return json(201, appDto(await getServices().apps.create(principal, name)));
});
