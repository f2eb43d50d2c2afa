import type * as z from 'zod/mini';
import { releaseDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import type { releaseSearchQuery } from '../shared/http/schemas.js';
import { releaseService, resourceReader } from '../shared/services/container.js';

const DEFAULT_LIMIT = 100;

export const handler = apiRoute('ListReleases', resourceReader, async (request) => {
  const q = (request.query ?? {}) as z.infer<typeof releaseSearchQuery>;
  const limit = q.limit === undefined ? DEFAULT_LIMIT : Math.min(Math.max(Number(q.limit), 1), 1000);

  const page = await releaseService().search(
    appOf(request),
    {
      ...(q.channel !== undefined ? { channel: q.channel } : {}),
      ...(q.status !== undefined ? { status: q.status } : {}),
      ...(q.published !== undefined ? { published: q.published === 'true' } : {}),
      ...(q.critical !== undefined ? { critical: q.critical === 'true' } : {}),
      ...(q.platform !== undefined ? { platform: q.platform } : {}),
      ...(q.arch !== undefined ? { arch: q.arch } : {}),
    },
    limit,
    q.cursor,
  );
  return json(200, { releases: page.items.map((item) => releaseDto(item)), next_cursor: page.next ?? null });
});
