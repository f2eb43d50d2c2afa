import { parseConfirmBody } from '../shared/faces/faynosync/upload-wire.js';
import { appAuthorizer } from '../shared/faces/faynosync/version-handlers.js';
import { faynoVersions } from '../shared/faces/faynosync/versions-root.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { bodyText } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('FsUploadConfirm'), resourceReader, async (request) => {
  const { id, publish } = parseConfirmBody(bodyText(request.event));
  const released = await faynoVersions().confirm(callerOf(request), appAuthorizer(request), id, publish);
  return json(200, { 'uploadResult.Uploaded': released });
});
