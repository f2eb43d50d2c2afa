import { apiTokenDto } from '../shared/http/access-dto.js';
import { createApiTokenBody } from '../shared/http/access-schemas.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { tokenService } from '../shared/services/access-container.js';
import { resourceReader } from '../shared/services/container.js';

/** A token with no stated expiry lasts this long through the service's paths (`expires_at: null` for none). */
const DEFAULT_LIFETIME_MS = 90 * 86_400_000;

export const handler = apiRoute(routeById('CreateApiToken'), resourceReader, { body: createApiTokenBody }, async (request) => {
  const { body } = request;
  const expiresAt = body.expires_at === undefined ? new Date(Date.now() + DEFAULT_LIFETIME_MS).toISOString() : body.expires_at;
  const { record, token } = await tokenService().create(callerOf(request), {
    name: body.name,
    apps: body.apps,
    actions: body.actions,
    ...(expiresAt ? { expiresAt } : {}),
    prefix: 'ota',
  });
  // The only time the token is shown.
  return json(201, { ...apiTokenDto(record), token });
});
