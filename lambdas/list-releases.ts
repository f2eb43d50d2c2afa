import { releaseDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { releaseSearchQuery } from '../shared/http/schemas.js';
import { routeById } from '../shared/routes.js';
import { releaseService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('ListReleases'), resourceReader, { query: releaseSearchQuery }, async (request) => {
  const q = request.query;

  const page = await releaseService().search(
    appOf(request),
    {
      ...(q.channel !== undefined ? { channel: q.channel } : {}),
      ...(q.status !== undefined ? { status: q.status } : {}),
      ...(q.published !== undefined ? { published: q.published } : {}),
      ...(q.critical !== undefined ? { critical: q.critical } : {}),
      ...(q.platform !== undefined ? { platform: q.platform } : {}),
      ...(q.arch !== undefined ? { arch: q.arch } : {}),
    },
    q.limit,
    q.cursor,
  );
  return json(200, { releases: page.items.map((item) => releaseDto(item)), next_cursor: page.next ?? null });
});
