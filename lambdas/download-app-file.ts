import { EDGE_CACHE_CONTROL } from '../shared/http/edge.js';
import { apiRoute } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { redirect } from '../shared/http/respond.js';
import { downloadService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute('DownloadAppFile', resourceReader, async ({ event }) => {
  const { location, cacheable } = await downloadService().appFile(
    pathParam(event, 'app_id'),
    pathParam(event, 'release_id'),
    pathParam(event, 'artifact_id'),
    pathParam(event, 'file_name'),
  );
  return redirect(location, cacheable ? EDGE_CACHE_CONTROL : 'no-store');
});
