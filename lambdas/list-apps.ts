import { appDto } from '../shared/http/dto.js';
import { json } from '../shared/http/respond.js';
import { userRoute } from '../shared/http/user-route.js';
import { getServices } from '../shared/services/container.js';

export const handler = userRoute(async (_event, principal) => {
  const apps = await getServices().apps.list(principal);
  return json(200, { apps: apps.map(appDto) });
});
