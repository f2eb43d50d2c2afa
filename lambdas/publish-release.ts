import type * as z from 'zod/mini';
import { releaseDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import type { publishReleaseBody } from '../shared/http/schemas.js';
import { releaseService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute('PublishRelease', resourceReader, async (request) => {
  const body = request.body as z.infer<typeof publishReleaseBody>;
  const at = body.at ? new Date(body.at).toISOString() : undefined;
  return json(200, releaseDto(await releaseService().publish(appOf(request), pathParam(request.event, 'release_id'), at)));
});
