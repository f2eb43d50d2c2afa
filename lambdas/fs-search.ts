import { goBool, positiveInt } from '../shared/faces/faynosync/upload-wire.js';
import { appAuthorizer } from '../shared/faces/faynosync/version-handlers.js';
import { faynoVersions } from '../shared/faces/faynosync/versions-root.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { queryParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';

/** faynoSync's page size when none is asked for. */
const DEFAULT_LIMIT = 9;
const MAX_LIMIT = 1000;

export const handler = apiRoute(routeById('FsSearch'), resourceReader, async (request) => {
  const q = (name: string) => queryParam(request.event, name);
  const published = goBool(q('published'));
  const critical = goBool(q('critical'));
  const page = positiveInt(q('page')) ?? 1;
  const limit = Math.min(positiveInt(q('limit')) ?? DEFAULT_LIMIT, MAX_LIMIT);
  const filters = { channel: q('channel'), platform: q('platform'), arch: q('arch') };
  const { items, total } = await faynoVersions().search(callerOf(request), appAuthorizer(request), {
    appName: q('app_name') ?? '',
    ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)),
    ...(published !== undefined ? { published } : {}),
    ...(critical !== undefined ? { critical } : {}),
    page,
    limit,
  });
  // The seed's envelope (`apps`) and current faynoSync's (`items`, `total`, `page`, `limit`) together.
  return json(200, { apps: items, items, total, page, limit });
});
