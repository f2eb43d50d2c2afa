import { parseVersionData } from '../shared/faces/faynosync/upload-wire.js';
import { appAuthorizer, formFiles } from '../shared/faces/faynosync/version-handlers.js';
import { faynoVersions } from '../shared/faces/faynosync/versions-root.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { parseMultipart } from '../shared/http/multipart.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('FsVersionUpdate'), resourceReader, async (request) => {
  const form = await parseMultipart(request.event);
  const intermediate = form.fields.get('intermediate');
  const data = parseVersionData(form.fields.get('data'), intermediate === undefined ? {} : { intermediate });
  await faynoVersions().update(callerOf(request), appAuthorizer(request), data, formFiles(form));
  return json(200, { 'updatedResult.Updated': true });
});
