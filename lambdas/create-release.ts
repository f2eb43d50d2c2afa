import { haltRuleOf, releaseDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { createReleaseBody } from '../shared/http/schemas.js';
import { routeById } from '../shared/routes.js';
import { releaseService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('CreateRelease'), resourceReader, { body: createReleaseBody }, async (request) => {
  const { body } = request;
  const critical = body.critical ?? body.mandatory;
  const view = await releaseService().create(appOf(request), {
    version: body.version,
    ...(body.channel !== undefined ? { channel: body.channel } : {}),
    ...(body.publish !== undefined ? { publish: body.publish } : {}),
    ...(body.publish_at ? { publishAt: new Date(body.publish_at).toISOString() } : {}),
    ...(body.notes !== undefined ? { notes: body.notes } : {}),
    ...(body.changelog !== undefined ? { changelog: body.changelog } : {}),
    ...(body.signature ? { signature: body.signature } : {}),
    ...(body.pub_date ? { pubDate: new Date(body.pub_date).toISOString() } : {}),
    ...(critical !== undefined ? { critical } : {}),
    ...(body.intermediate !== undefined ? { intermediate: body.intermediate } : {}),
    ...(body.rollout_percent !== undefined ? { rolloutPercent: body.rollout_percent } : {}),
    ...(body.halt_rule ? { haltRule: haltRuleOf(body.halt_rule) } : {}),
  });
  return json(201, releaseDto(view));
});
