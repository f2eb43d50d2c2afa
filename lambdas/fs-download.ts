import { Invalid } from '../shared/domain/errors.js';
import { appAuthorizer } from '../shared/faces/faynosync/version-handlers.js';
import { faynoVersions } from '../shared/faces/faynosync/versions-root.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { queryParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute('FsDownload', resourceReader, async (request) => {
  const key = queryParam(request.event, 'key');
  if (key === undefined) throw new Invalid('key is required');
  const url = await faynoVersions().download(callerOf(request), appAuthorizer(request), key);
  return json(200, { download_url: url });
});
