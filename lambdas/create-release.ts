import { releaseDto } from '../shared/http/dto.js';
import { jsonBody, pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { createReleaseBody } from '../shared/http/schemas.js';
import { userRoute } from '../shared/http/user-route.js';
import { getServices } from '../shared/services/container.js';

export const handler = userRoute(async (event, principal) => {
  const body = jsonBody(event, createReleaseBody);
  const release = await getServices().releases.create(principal, pathParam(event, 'app_id'), {
    version: body.version,
    ...(body.notes !== undefined ? { notes: body.notes } : {}),
    ...(body.signature ? { signature: body.signature } : {}),
    ...(body.pub_date ? { pubDate: new Date(body.pub_date).toISOString() } : {}),
  });
  return json(201, releaseDto(release));
});
