import { apiRoute, appOf } from '../shared/http/middleware.js';
import { downloadTokenDto } from '../shared/http/private-dto.js';
import { createDownloadTokenBody } from '../shared/http/private-schemas.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { downloadTokenService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('CreateDownloadToken'), resourceReader, { body: createDownloadTokenBody }, async (request) => {
  const { body } = request;
  const { token, listed } = await downloadTokenService().create(appOf(request), {
    ...(body.name ? { name: body.name } : {}),
    ...(body.channel !== undefined ? { channel: body.channel } : {}),
    ...(body.expires_at !== undefined ? { expiresAt: body.expires_at } : {}),
  });
  // The only time the token is shown: it is stored as a SHA-256 and never logged.
  return json(201, { ...downloadTokenDto(listed), token });
});
