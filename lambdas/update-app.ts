import { appDto, jobDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { updateAppBody } from '../shared/http/schemas.js';
import { routeById } from '../shared/routes.js';
import { appServiceWithPrivacy, entryName, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('UpdateApp'), resourceReader, { body: updateAppBody }, async (request) => {
  const { body } = request;
  const { app, job } = await appServiceWithPrivacy().updateWithJob(appOf(request), {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.default_channel !== undefined ? { defaultChannel: body.default_channel } : {}),
    ...(body.tauri_pubkey !== undefined ? { tauriPublicKey: body.tauri_pubkey } : {}),
    ...(body.private !== undefined ? { private: body.private } : {}),
  });
  // The app as changed, at once; a privacy change names its job (done already for a small app).
  return json(200, { ...appDto(app, await entryName(app.ownerId, 'channel', app.defaultChannelId)), ...(job ? { job: jobDto(job) } : {}) });
});
