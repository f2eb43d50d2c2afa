import type * as z from 'zod/mini';
import { appDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import type { setSlugBody } from '../shared/http/schemas.js';
import { appService, entryName, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute('SetSlug', resourceReader, async (request) => {
  const body = request.body as z.infer<typeof setSlugBody>;
  const app = await appService().setSlug(appOf(request), body.slug);
  return json(200, appDto(app, await entryName(app.ownerId, 'channel', app.defaultChannelId)));
});
