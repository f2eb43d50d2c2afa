import { haltRuleOf, releaseDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { updateReleaseBody } from '../shared/http/schemas.js';
import { routeById } from '../shared/routes.js';
import { releaseService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('UpdateRelease'), resourceReader, { body: updateReleaseBody }, async (request) => {
  const { body } = request;
  const critical = body.critical ?? body.mandatory;
  const view = await releaseService().update(appOf(request), pathParam(request.event, 'release_id'), {
    ...(body.channel !== undefined ? { channel: body.channel } : {}),
    ...(body.notes !== undefined ? { notes: body.notes } : {}),
    ...(body.changelog !== undefined ? { changelog: body.changelog } : {}),
    ...(body.signature !== undefined ? { signature: body.signature } : {}),
    ...(body.pub_date ? { pubDate: new Date(body.pub_date).toISOString() } : {}),
    ...(critical !== undefined ? { critical } : {}),
    ...(body.intermediate !== undefined ? { intermediate: body.intermediate } : {}),
    ...(body.halt_rule !== undefined ? { haltRule: haltRuleOf(body.halt_rule) } : {}),
  });
  return json(200, releaseDto(view));
});
