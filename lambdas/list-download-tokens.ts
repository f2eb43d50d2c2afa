import { apiRoute, appOf } from '../shared/http/middleware.js';
import { downloadTokenDto } from '../shared/http/private-dto.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { downloadTokenService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('ListDownloadTokens'), resourceReader, async (request) => {
  const now = new Date();
  return json(200, { tokens: (await downloadTokenService().list(appOf(request))).map((t) => downloadTokenDto(t, now)) });
});
