import { telemetryQuery } from '../shared/faces/faynosync/routes-telemetry.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { resourceReader, telemetryService } from '../shared/services/container.js';

export const handler = apiRoute(routeById('FsTelemetry'), resourceReader, { query: telemetryQuery }, async (request) =>
  json(200, await telemetryService().faynoReport(callerOf(request), request.query)),
);
