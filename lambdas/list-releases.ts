import { releaseDto } from '../shared/http/dto.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { userRoute } from '../shared/http/user-route.js';
import { getServices } from '../shared/services/container.js';

export const handler = userRoute(async (event, principal) => {
  const releases = await getServices().releases.list(principal, pathParam(event, 'app_id'));
  return json(200, { releases: releases.map(({ release, artifacts }) => releaseDto(release, artifacts)) });
});
