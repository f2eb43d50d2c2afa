import { haltRuleOf, releaseDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { rolloutBody } from '../shared/http/schemas.js';
import { routeById } from '../shared/routes.js';
import { releaseService, resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('SetRollout'), resourceReader, { body: rolloutBody }, async (request) => {
  const { body } = request;
  return json(
    200,
    releaseDto(
      await releaseService().setRollout(
        appOf(request),
        pathParam(request.event, 'release_id'),
        body.percent,
        body.halt_rule === undefined ? undefined : haltRuleOf(body.halt_rule),
      ),
    ),
  );
});
