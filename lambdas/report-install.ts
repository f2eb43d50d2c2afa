import { TooLarge } from '../shared/domain/errors.js';
import { apiRoute } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { installReportBody } from '../shared/http/schemas.js';
import { routeById } from '../shared/routes.js';
import { installReports, resourceReader } from '../shared/services/container.js';

const route = routeById('ReportInstall');

export const handler = apiRoute(route, resourceReader, { body: installReportBody }, async (request) => {
  // The edge refuses a larger declared body; one sent without a length is refused here.
  if (
    route.bodyLimit &&
    Buffer.byteLength(request.event.body ?? '', request.event.isBase64Encoded ? 'base64' : 'utf8') > route.bodyLimit.bytes
  ) {
    throw new TooLarge(route.bodyLimit.message);
  }
  const { body } = request;
  const { effect } = await installReports().report({
    deviceId: body.device_id,
    app: body.app,
    channel: body.channel,
    fromVersion: body.from_version,
    toVersion: body.to_version,
    outcome: body.outcome,
    ...(body.error ? { error: body.error } : {}),
  });
  return json(202, { accepted: true, effect });
});
