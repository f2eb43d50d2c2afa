import { answerCacheControl, presentedDownloadToken } from '../shared/http/download-token.js';
import { EDGE_CACHE_CONTROL } from '../shared/http/edge.js';
import { leanPublicRoute } from '../shared/http/lean-route.js';
import { pathParam } from '../shared/http/request.js';
import { redirect } from '../shared/http/respond.js';
import { downloadService, publicAccess } from '../shared/services/public-root.js';

export const handler = leanPublicRoute(async (event) => {
  const access = publicAccess(presentedDownloadToken(event));
  const { location, cacheable } = await downloadService().appFile(
    pathParam(event, 'app_id'),
    pathParam(event, 'release_id'),
    pathParam(event, 'artifact_id'),
    pathParam(event, 'file_name'),
    access,
  );
  return redirect(location, answerCacheControl(access, cacheable ? EDGE_CACHE_CONTROL : 'no-store'));
});
